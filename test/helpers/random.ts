/** A seeded pseudo-random source (xorshift32) in [0, 1): the same seed gives the same sequence. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** An edit as typing makes them: one of `pieces` inserted somewhere, or 1–3 characters deleted. */
export function typeOrDelete(text: string, rand: () => number, pieces: readonly string[]): string {
  const at = Math.floor(rand() * (text.length + 1));
  if (rand() < 0.6) {
    const piece = pieces[Math.floor(rand() * pieces.length)];
    return text.slice(0, at) + piece + text.slice(at);
  }
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
}
