/** Levenshtein distance, case-insensitive: how far a typed key is from a known one. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** The known key a typo most likely meant: within 2 edits (3 for long keys), or undefined. */
export function closestKey(key: string, known: Iterable<string>): string | undefined {
  const limit = key.length >= 12 ? 3 : 2;
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d > 0 && d <= limit && (best === undefined || d < best.distance)) best = { key: k, distance: d };
  }
  return best?.key;
}
