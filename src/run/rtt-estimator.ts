/**
 * Per-address probe timeouts from the round-trip times measured so far (SRTT/RTTVAR as in RFC 6298),
 * kept between a floor and a ceiling: a fast network is not made to wait for the worst case, and a
 * slow link is never declared filtered because of a timeout shorter than its RTT. An address that
 * has not answered yet borrows the estimate of its neighbours (same /24, or same /64 for IPv6), as
 * nmap's timing uses its group's: a whole subnet's filtered ports must not wait for the ceiling
 * just because they were asked before their host's first answer was read.
 */
interface Estimate {
  srtt: number;
  rttvar: number;
}

export class RttEstimator {
  private readonly byAddress = new Map<string, Estimate>();
  private readonly byPrefix = new Map<string, Estimate>();
  /** Subnets with a probe out and no answer yet: later probes there wait for the first answer. */
  private readonly awaited = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  constructor(
    private readonly floorMs: number,
    private readonly ceilingMs: number,
    /**
     * Before any answer from the address or its neighbours (nmap -T4 starts at 500 ms too): long
     * enough for intercontinental paths, and a reply that arrives later is caught by the retry.
     */
    private readonly initialMs = Math.min(ceilingMs, 500),
  ) {}

  observe(address: string, rttMs: number): void {
    update(this.byAddress, address, rttMs);
    update(this.byPrefix, prefixOf(address), rttMs);
    this.awaited.get(prefixOf(address))?.resolve();
  }

  /**
   * Resolves at once for the first probe of a subnet (and when its RTT is known); the others wait
   * for the first answer from the subnet, or the initial timeout, whichever comes first.
   */
  firstAnswerNear(address: string): Promise<void> {
    const prefix = prefixOf(address);
    if (this.byPrefix.has(prefix)) return Promise.resolve();
    const waiting = this.awaited.get(prefix);
    if (waiting) return waiting.promise;
    let resolve = () => {};
    const promise = new Promise<void>((done) => {
      const timer = setTimeout(done, this.initialMs);
      resolve = () => {
        clearTimeout(timer);
        done();
      };
    });
    this.awaited.set(prefix, { promise, resolve });
    return Promise.resolve();
  }

  /** The initial timeout until the address (or a neighbour) has answered; then a multiple of its RTT. */
  timeoutFor(address: string): number {
    const estimate = this.byAddress.get(address) ?? this.byPrefix.get(prefixOf(address));
    if (!estimate) return this.initialMs;
    // Three RTTs plus variance: a SYN-ACK or UDP reply that takes longer than this is a rarity,
    // and the retry (with twice the timeout) catches it.
    const adaptive = 3 * estimate.srtt + 4 * estimate.rttvar;
    return Math.round(Math.min(this.ceilingMs, Math.max(this.floorMs, adaptive)));
  }

  knows(address: string): boolean {
    return this.byAddress.has(address);
  }

  /** The address or one of its neighbours has answered. */
  hasEstimateFor(address: string): boolean {
    return this.byAddress.has(address) || this.byPrefix.has(prefixOf(address));
  }
}

function update(estimates: Map<string, Estimate>, key: string, rttMs: number): void {
  const previous = estimates.get(key);
  if (!previous) {
    estimates.set(key, { srtt: rttMs, rttvar: rttMs / 2 });
    return;
  }
  previous.rttvar = 0.75 * previous.rttvar + 0.25 * Math.abs(previous.srtt - rttMs);
  previous.srtt = 0.875 * previous.srtt + 0.125 * rttMs;
}

/** The /24 (IPv4) or /64 (IPv6, as written) an address is in; asked several times per probe. */
function prefixOf(address: string): string {
  const cut = address.includes('.') ? address.lastIndexOf('.') : nthIndexOf(address, ':', 4);
  return cut < 0 ? address : address.slice(0, cut);
}

function nthIndexOf(text: string, part: string, n: number): number {
  let index = -1;
  for (let found = 0; found < n; found += 1) {
    index = text.indexOf(part, index + 1);
    if (index < 0) return -1;
  }
  return index;
}
