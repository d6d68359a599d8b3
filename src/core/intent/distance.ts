/**
 * Optimal-string-alignment distance: Levenshtein plus the swap of two neighbouring letters, which
 * is the commonest typo on a keyboard ("IMPA" for "IMAP" is one edit, not two).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let twoBack: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1);
      row.push(best);
    }
    twoBack = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** How many edits still count as the same word: none for very short words, more for long ones. */
export function typoBudget(word: string): number {
  if (word.length <= 2) return 0;
  if (word.length <= 5) return 1;
  return 2;
}

/**
 * The candidates closest to `word` within the typo budget, best first, at most `limit`.
 * `candidates` maps what is compared (lower case) to what is suggested (display form).
 */
export function nearest(
  word: string,
  candidates: ReadonlyMap<string, string>,
  limit = 3,
  budget = typoBudget(word),
): string[] {
  const scored: { display: string; d: number }[] = [];
  for (const [key, display] of candidates) {
    const d = editDistance(word, key);
    if (d <= budget) scored.push({ display, d });
  }
  scored.sort((x, y) => x.d - y.d || x.display.localeCompare(y.display));
  return [...new Set(scored.map((s) => s.display))].slice(0, limit);
}
