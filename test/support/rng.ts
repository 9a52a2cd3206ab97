// A small deterministic generator for randomised tests: a fixed seed makes every run identical.

/** xorshift32 (Marsaglia's 13/17/5 triple); a zero seed is taken as 1, which the generator needs. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
