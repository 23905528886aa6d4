import { describe, expect, it } from 'vitest';
import { ProofGathering } from '../../../src/probes/raw/proof-gathering.js';

/** A promise and the function that settles it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('ProofGathering (when a batch of silence proofs stops waiting for others)', () => {
  it('lets a batch go once every sample walking waits for a proof, long before its window', async () => {
    const gathering = new ProofGathering<string>();
    const [proofA, proofB, bReady] = [gate(), gate(), gate()];
    const a = gathering.walk('a', () => gathering.prove('a', () => proofA.opened));
    const b = gathering.walk('b', async () => {
      await bReady.opened; // b walks on a little before it needs its proof
      return gathering.prove('b', () => proofB.opened);
    });
    let gone = false;
    const batch = gathering.gathered(60_000).then(() => (gone = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gone).toBe(false);
    bReady.open();
    await batch; // at once: without that, this would wait the whole minute (and the test time out)
    expect(gone).toBe(true);
    proofA.open();
    proofB.open();
    await Promise.all([a, b]);
  });

  it('waits for a sample still walking, and goes when that one ends without a proof', async () => {
    const gathering = new ProofGathering<string>();
    const proof = gate();
    const walker = gate();
    const proving = gathering.walk('pilot', () => gathering.prove('pilot', () => proof.opened));
    const walking = gathering.walk('second', () => walker.opened);
    let gone = false;
    const batch = gathering.gathered(60_000).then(() => (gone = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gone).toBe(false);
    walker.open();
    await walking;
    await batch;
    proof.open();
    await proving;
  });

  it('gives up waiting after its window when a sample keeps walking', async () => {
    const gathering = new ProofGathering<string>();
    const walker = gate();
    const walking = gathering.walk('slow', () => walker.opened);
    await gathering.gathered(5);
    walker.open();
    await walking;
  });

  it('goes at once when nobody is walking', async () => {
    await new ProofGathering<string>().gathered(60_000);
  });
});
