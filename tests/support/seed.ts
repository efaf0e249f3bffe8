/**
 * The seed of a seeded test file: SEED from the environment when set (to replay a failure or try
 * another), else the file's default. Printed once, so any failing run can be replayed.
 */
export function testSeed(label: string, fallback: number): number {
  const raw = process.env.SEED;
  const seed = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`SEED must be a whole number, like SEED=${fallback}; got "${raw}".`);
  console.log(`[${label}] seed: ${seed} (replay with SEED=${seed})`);
  return seed;
}
