// What the articles' own words say about how readers may type them: every word's count and how often it is
// capitalised (a name), and the initials of the multi-word names they use ("nk" → North Korea). Derived from
// the loaded index once, on the first question that needs it, and kept with that index.
import type { LoadedIndex } from '../store/types.js';

export interface Vocabulary {
  /** Lower-cased word → occurrences in the articles. */
  count(word: string): number;
  /** Share of a word's occurrences written with a capital (past a sentence's first word): near 1 for names. */
  capitalShare(word: string): number;
  /** Words of the articles within `maxDistance` edits of `word`, closest first, then commonest. */
  near(word: string, maxDistance: number): string[];
  /** The commonest multi-word name whose initials are `letters` ("nk" → "North Korea"), if any. */
  expand(letters: string): string | null;
}

const WORD = /[\p{L}][\p{L}\p{M}'’-]*/gu;
/** Two to three capitalised words in a row: the names readers shorten to their initials. */
const NAME = /\b(\p{Lu}[\p{L}\p{M}]+)(?:[ -](\p{Lu}[\p{L}\p{M}]+))(?:[ -](\p{Lu}[\p{L}\p{M}]+))?/gu;
const CAPITAL = /^\p{Lu}/u;
const SENTENCE_END = /[.!?"“:\n]\s*$/;
/** A name seen fewer times is not a reader's shorthand. */
const MIN_NAME_COUNT = 3;

const built = new WeakMap<LoadedIndex, Vocabulary>();

export function vocabularyOf(index: LoadedIndex): Vocabulary {
  let vocabulary = built.get(index);
  if (!vocabulary) {
    vocabulary = buildVocabulary(index.articles.map((a) => a.text));
    built.set(index, vocabulary);
  }
  return vocabulary;
}

/** A lower-cased word's tallies; `capitals` counts its capitalised uses past a sentence's first word. */
interface Tally {
  count: number;
  capitals: number;
}

export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const tallies = new Map<string, Tally>();
  // Every word of every article passes here at load: each written form is looked up once, then its tally
  // (shared by all forms of the word) and whether it starts with a capital come from this map.
  const forms = new Map<string, { tally: Tally; capital: boolean }>();
  const names = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const match of text.matchAll(WORD)) {
      let form = forms.get(match[0]);
      if (!form) {
        const word = match[0].endsWith("'s") || match[0].endsWith('’s') ? match[0].slice(0, -2) : match[0];
        const lower = word.toLowerCase();
        let tally = tallies.get(lower);
        if (!tally) {
          tally = { count: 0, capitals: 0 };
          tallies.set(lower, tally);
        }
        form = { tally, capital: CAPITAL.test(word) };
        forms.set(match[0], form);
      }
      form.tally.count++;
      if (form.capital && match.index > 0 && !SENTENCE_END.test(text.slice(Math.max(0, match.index - 3), match.index))) form.tally.capitals++;
    }
    for (const match of text.matchAll(NAME)) {
      const parts = match.slice(1).filter(Boolean) as string[];
      for (let n = 2; n <= parts.length; n++) {
        const name = parts.slice(0, n).join(' ');
        const letters = parts
          .slice(0, n)
          .map((p) => p[0]!.toLowerCase())
          .join('');
        const byName = names.get(letters) ?? new Map<string, number>();
        byName.set(name, (byName.get(name) ?? 0) + 1);
        names.set(letters, byName);
      }
    }
  }
  const byLength = new Map<number, string[]>();
  for (const word of tallies.keys()) {
    const list = byLength.get(word.length) ?? [];
    list.push(word);
    byLength.set(word.length, list);
  }
  return {
    count: (word) => tallies.get(word.toLowerCase())?.count ?? 0,
    capitalShare: (word) => {
      const tally = tallies.get(word.toLowerCase());
      return tally ? tally.capitals / tally.count : 0;
    },
    near(word, maxDistance) {
      const found: { word: string; distance: number }[] = [];
      for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
        for (const candidate of byLength.get(length) ?? []) {
          const distance = editDistance(word, candidate, maxDistance);
          if (distance <= maxDistance) found.push({ word: candidate, distance });
        }
      }
      return found.sort((a, b) => a.distance - b.distance || tallies.get(b.word)!.count - tallies.get(a.word)!.count).map((f) => f.word);
    },
    expand(letters) {
      const byName = names.get(letters.toLowerCase());
      if (!byName) return null;
      const [name, count] = [...byName].sort((a, b) => b[1] - a[1])[0]!;
      return count >= MIN_NAME_COUNT ? name : null;
    },
  };
}

/** Optimal-string-alignment distance (a swap of neighbours is one edit), stopping once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous2 = previous;
    previous = row;
  }
  return previous[b.length]!;
}
