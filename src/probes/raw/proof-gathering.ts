/**
 * Which of the samples walking now are waiting for a silence proof. The proofs on one router share
 * one control (questions.ts), so a batch waits for the others a moment before it goes; once every
 * sample still walking is waiting for a proof, nobody else can join, and waiting longer only adds
 * latency to every localisation (the pilots of one path reach their proofs together).
 */
export class ProofGathering<Sample> {
  private readonly walking = new Set<Sample>();
  private readonly proving = new Map<Sample, number>();
  private readonly listeners = new Set<() => void>();

  /** Runs a sample's walk, counted as walking until it ends. */
  async walk<T>(sample: Sample, run: () => Promise<T>): Promise<T> {
    this.walking.add(sample);
    try {
      return await run();
    } finally {
      this.walking.delete(sample);
      this.changed();
    }
  }

  /** Runs a proof of the sample, counted as waiting for one until it ends. */
  async prove<T>(sample: Sample, proof: () => Promise<T>): Promise<T> {
    this.proving.set(sample, (this.proving.get(sample) ?? 0) + 1);
    this.changed();
    try {
      return await proof();
    } finally {
      const left = (this.proving.get(sample) ?? 1) - 1;
      if (left > 0) this.proving.set(sample, left);
      else this.proving.delete(sample);
    }
  }

  /** Resolves when every sample walking waits for a proof, or after `windowMs`, whichever is first. */
  gathered(windowMs: number): Promise<void> {
    if (this.allProving()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if (this.allProving()) done();
      };
      const timer = setTimeout(done, windowMs);
      this.listeners.add(check);
    });
  }

  private allProving(): boolean {
    for (const sample of this.walking) if (!this.proving.has(sample)) return false;
    return true;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
