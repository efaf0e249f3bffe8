/**
 * Fuzzy matching for the command palette: the query's letters in order within the text; matches
 * at word starts and in runs score higher. Small enough to own (a few dozen commands).
 */
export function fuzzyScore(query: string, text: string): number | null {
  const needle = query.trim().toLowerCase();
  if (needle === '') return 0;
  const haystack = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of needle) {
    if (char === ' ') continue;
    const at = haystack.indexOf(char, from);
    if (at === -1) return null;
    const wordStart = at === 0 || /[\s/.-]/.test(haystack.charAt(at - 1));
    score += 1 + (wordStart ? 3 : 0) + (at === previous + 1 ? 2 : 0);
    previous = at;
    from = at + 1;
  }
  // Shorter texts win ties: "Sync now" before "Sync now and reload…".
  return score - haystack.length / 100;
}

/** The items that match, best first (stable for equal scores). */
export function fuzzyFilter<T>(items: readonly T[], query: string, textOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, textOf(item)) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.item);
}
