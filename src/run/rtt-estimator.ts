/**
 * Per-address probe timeouts from the round-trip times measured so far (SRTT/RTTVAR as in RFC 6298),
 * kept between a floor and a ceiling: a fast network is not made to wait for the worst case, and a
 * slow link is never declared filtered because of a timeout shorter than its RTT.
 */
export class RttEstimator {
  private readonly byAddress = new Map<string, { srtt: number; rttvar: number }>();

  constructor(
    private readonly floorMs: number,
    private readonly ceilingMs: number,
  ) {}

  observe(address: string, rttMs: number): void {
    const previous = this.byAddress.get(address);
    if (!previous) {
      this.byAddress.set(address, { srtt: rttMs, rttvar: rttMs / 2 });
      return;
    }
    const rttvar = 0.75 * previous.rttvar + 0.25 * Math.abs(previous.srtt - rttMs);
    this.byAddress.set(address, { srtt: 0.875 * previous.srtt + 0.125 * rttMs, rttvar });
  }

  /** The ceiling until the address has answered once; then a multiple of its RTT, within bounds. */
  timeoutFor(address: string): number {
    const estimate = this.byAddress.get(address);
    if (!estimate) return this.ceilingMs;
    // Three RTTs plus variance: a SYN-ACK or UDP reply that takes longer than this is a rarity,
    // and the retry (with twice the timeout) catches it.
    const adaptive = 3 * estimate.srtt + 4 * estimate.rttvar;
    return Math.round(Math.min(this.ceilingMs, Math.max(this.floorMs, adaptive)));
  }

  knows(address: string): boolean {
    return this.byAddress.has(address);
  }
}
