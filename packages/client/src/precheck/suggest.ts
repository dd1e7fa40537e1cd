import { distance } from 'fastest-levenshtein';

/** Letters one word has that the other lacks: a swapped pair costs nothing here. */
function lettersApart(a: string, b: string): number {
  const left = [...b];
  let apart = 0;
  for (const ch of a) {
    const at = left.indexOf(ch);
    if (at === -1) apart++;
    else left.splice(at, 1);
  }
  return apart + left.length;
}

/**
 * The known word a typo most likely meant, or nothing when none is close: a suggestion
 * further than a third of the word's length away (two edits for short words, where one
 * swapped pair already costs two) would mislead more than it helps. Ties go to the word
 * with the same letters, then to the first in sort order, so the answer is stable.
 */
export function closestWord(typed: string, known: Iterable<string>): string | undefined {
  const bound = Math.min(Math.max(2, Math.ceil(typed.length / 3)), typed.length - 1);
  const ranked = [...new Set(known)]
    .map((word) => ({ word, d: distance(typed, word), apart: lettersApart(typed, word) }))
    .filter((c) => c.d <= bound)
    .sort((x, y) => x.d - y.d || x.apart - y.apart || (x.word < y.word ? -1 : 1));
  return ranked[0]?.word;
}

export const didYouMean = (typed: string, known: Iterable<string>): string => {
  const word = closestWord(typed, known);
  return word === undefined ? '' : `; did you mean '${word}'?`;
};
