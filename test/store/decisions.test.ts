// The outcome record's quick look: a record with every answer open is not parsed by the verdict's record
// read, so the look must never call a record with an answer open (the contract suite checks the whole
// record against topicRecord on both engines; this checks the look alone, on every shape a record takes).
import { describe, expect, it } from 'vitest';
import { mayHoldAnswer, outcomeRecord } from '../../src/store/decisions.js';

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mayHoldAnswer', () => {
  it('is false exactly when every failure mode and every estimate is still open', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const r = random(seed);
      const answerRate = [0, 0.05, 0.5][seed % 3]!;
      const predictions = Array.from({ length: Math.floor(r() * 12) }, (_, i) => ({
        failureMode: `mode-${i}-${Math.floor(r() * 100)}`,
        happened: r() < answerRate ? (r() < 0.5 ? 0 : 1) as 0 | 1 : null,
      }));
      const estimates = Array.from({ length: Math.floor(r() * 3) }, (_, i) => ({
        kind: i % 2 === 0 ? 'cost' as const : 'time' as const,
        p50: [0, 11.5, 1_630_000, 2.5e-7][Math.floor(r() * 4)]!,
        actual: r() < answerRate ? [0, 25, 4_310_289, 1e21, 0.125][Math.floor(r() * 5)]! : null,
      }));
      const answered = predictions.some((p) => p.happened !== null) || estimates.some((e) => e.actual !== null);
      expect(mayHoldAnswer(outcomeRecord(predictions, estimates)), `seed ${seed}`).toBe(answered);
    }
  });

  it('takes answers written as booleans, and anything it cannot tell, as possibly answered', () => {
    expect(mayHoldAnswer('{"f":[["a",null],["b",true]],"e":[]}')).toBe(true);
    expect(mayHoldAnswer('{"f":[["a",false]],"e":[]}')).toBe(true);
    expect(mayHoldAnswer('{"f":[],"e":[]}')).toBe(false);
    expect(mayHoldAnswer('{"f":[["a",null]],"e":[["cost",10,null]]}')).toBe(false);
    expect(mayHoldAnswer('{"f":[["odd]",null]],"e":[]}')).toBe(true);
  });
});
