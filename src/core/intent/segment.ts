/**
 * Japanese is written without spaces: "はどうなっていますか" is four words. A run of Japanese
 * text is cut at the words the parser knows (the lexicons' Japanese words and the health sets'
 * Japanese aliases), longest first from the left; what lies between known words stays together
 * as one unknown word, so nothing typed is lost.
 */
export function segmentRun(run: string, dictionary: ReadonlySet<string> | undefined, longest: number): string[] {
  if (!dictionary || dictionary.size === 0 || dictionary.has(run)) return [run];
  const chars = [...run];
  const words: string[] = [];
  let unknown = '';
  for (let i = 0; i < chars.length;) {
    let hit = 0;
    for (let len = Math.min(longest, chars.length - i); len > 0; len--) {
      if (dictionary.has(chars.slice(i, i + len).join(''))) {
        hit = len;
        break;
      }
    }
    if (hit === 0) {
      unknown += chars[i];
      i++;
      continue;
    }
    if (unknown) words.push(unknown);
    unknown = '';
    words.push(chars.slice(i, i + hit).join(''));
    i += hit;
  }
  if (unknown) words.push(unknown);
  return words;
}
