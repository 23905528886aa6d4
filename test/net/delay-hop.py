#!/usr/bin/env python3
"""A userspace delaying hop for the namespace tests (tc netem is missing in these kernels).

    python3 delay-hop.py --dev pf-delay0 --delay-ms 150 [--loss-percent 5 --seed 1]

Opens a TUN device (IFF_TUN | IFF_NO_PI: raw IP packets, no extra header), prints
"READY <device>" on stdout, then reads every packet the kernel routes into the device, holds it
for --delay-ms (a heap ordered by due time, so a burst keeps its order and spacing), and writes
it back to the same device: the kernel then receives it as if it had arrived on the device and
forwards it again (delay-hop.ts sets up the routing that makes this a loop of exactly one turn).

Each packet is forwarded twice by the router (into the device and out again), so the kernel
decrements its TTL twice. By default the TTL (IPv4) or hop limit (IPv6) is given back its
decrement before the packet is written back, so TTL-limited probes count the router as one hop,
as they would without the delay; --no-ttl-fix turns that off.

--loss-percent drops that share of the packets at random (each packet independently, when it is
read from the device), as a lossy link would; --seed makes the sequence of draws repeatable. On
SIGUSR1 it prints "STATS seen=<packets read> lost=<packets dropped at random>" on stdout.

Standard library only. Exits on SIGTERM / SIGINT; the device disappears with the process.
"""

import argparse
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
# Beyond this many held packets new ones are dropped, as a full router queue would: it bounds
# memory if something floods the path, and a flood is not what these tests measure.
MAX_QUEUED = 200_000


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    ifreq = struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifreq)
    return fd


def ipv4_checksum(header: bytes) -> int:
    total = 0
    for index in range(0, len(header), 2):
        total += (header[index] << 8) | header[index + 1]
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def give_back_ttl(packet: bytes) -> bytes:
    """Undo the extra TTL decrement of the second pass through the router."""
    if not packet:
        return packet
    version = packet[0] >> 4
    if version == 4 and len(packet) >= 20:
        header_length = (packet[0] & 0x0F) * 4
        if packet[8] >= 255 or len(packet) < header_length:
            return packet
        header = bytearray(packet[:header_length])
        header[8] += 1
        header[10:12] = b"\x00\x00"
        header[10:12] = struct.pack("!H", ipv4_checksum(bytes(header)))
        return bytes(header) + packet[header_length:]
    if version == 6 and len(packet) >= 40 and packet[7] < 255:
        return packet[:7] + bytes([packet[7] + 1]) + packet[8:]
    return packet


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", default="pf-delay0", help="TUN device name (at most 15 characters)")
    parser.add_argument("--delay-ms", type=float, required=True, help="time each packet is held")
    parser.add_argument("--no-ttl-fix", action="store_true", help="leave the double TTL decrement")
    parser.add_argument("--loss-percent", type=float, default=0.0, help="share of packets dropped at random")
    parser.add_argument("--seed", type=int, default=None, help="seed of the loss draws")
    args = parser.parse_args()
    if args.delay_ms < 0 or len(args.dev) > 15:
        parser.error("--delay-ms must be >= 0 and --dev at most 15 characters")
    if not 0 <= args.loss_percent < 100:
        parser.error("--loss-percent must be in [0, 100)")

    fd = open_tun(args.dev)
    delay = args.delay_ms / 1000.0
    fix_ttl = not args.no_ttl_fix

    def stop(_signum: int, _frame: object) -> None:
        # Raising is what ends a blocked poll(): PEP 475 retries it after a handler that returns.
        raise SystemExit(0)

    loss = Loss(args.loss_percent / 100.0, args.seed)

    def report(_signum: int, _frame: object) -> None:
        sys.stdout.write(f"STATS seen={loss.seen} lost={loss.lost}\n")
        sys.stdout.flush()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGUSR1, report)
    sys.stdout.write(f"READY {args.dev}\n")
    sys.stdout.flush()

    try:
        relay(fd, delay, fix_ttl, loss)
    except SystemExit:
        pass
    os.close(fd)
    return 0


class Loss:
    """Independent random drops with probability `rate`; no draw at all when the rate is 0."""

    def __init__(self, rate: float, seed: "int | None") -> None:
        self.rate = rate
        self.random = random.Random(seed)
        self.seen = 0
        self.lost = 0

    def drop(self) -> bool:
        self.seen += 1
        if self.rate <= 0 or self.random.random() >= self.rate:
            return False
        self.lost += 1
        return True


def relay(fd: int, delay: float, fix_ttl: bool, loss: Loss) -> None:
    """Holds and forwards packets until a signal ends the process."""
    queue: list[tuple[float, int, bytes]] = []
    sequence = 0  # ties on due time keep arrival order
    dropped = 0
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, packet = heapq.heappop(queue)
            try:
                os.write(fd, packet)
            except OSError:
                dropped += 1  # e.g. the device went down: the packet is lost, as on a wire
        timeout_ms = None if not queue else max(0.0, (queue[0][0] - now) * 1000.0)
        try:
            events = poller.poll(timeout_ms)
        except InterruptedError:
            continue
        if not events:
            continue
        received = time.monotonic()
        while True:  # drain everything that is readable: one due time per read instant
            try:
                packet = os.read(fd, 65535)
            except OSError:  # BlockingIOError: drained; anything else: retry after the next poll
                break
            if loss.drop():
                continue  # lost on the wire
            if len(queue) >= MAX_QUEUED:
                dropped += 1
                if dropped % 1000 == 1:  # say so, without flooding stderr
                    sys.stderr.write(f"delay-hop: queue full, {dropped} packets dropped\n")
                continue
            if fix_ttl:
                packet = give_back_ttl(packet)
            heapq.heappush(queue, (received + delay, sequence, packet))
            sequence += 1


if __name__ == "__main__":
    sys.exit(main())
