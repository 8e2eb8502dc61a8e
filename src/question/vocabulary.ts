// What the articles' own words say about how readers may type them: every word's count and how often it is
// capitalised (a name), and the initials of the multi-word names they use ("nk" → North Korea). Derived from
// the articles when a segment of the index is built, stored with it and merged at load (store/files.ts).

export interface Vocabulary {
  /** Lower-cased word → occurrences in the articles. */
  count(word: string): number;
  /** Share of a word's occurrences written with a capital (past a sentence's first word): near 1 for names. */
  capitalShare(word: string): number;
  /**
   * Words of the articles within `maxDistance` edits of `word`: closest first, then those that start with its letter
   * (a typing slip rarely hits the first: "arest" is arrest, not rest), then commonest.
   */
  near(word: string, maxDistance: number): string[];
  /** The commonest multi-word name whose initials are `letters` ("nk" → "North Korea"), if any. */
  expand(letters: string): string | null;
  /**
   * How the articles write, apart, a word or name whose letters these are with the hyphens and spaces left out
   * ("nonaggression" → "non-aggression", "kimjongun" → "Kim Jong Un"), if they do.
   */
  writtenApart(letters: string): string | null;
}

const WORD = /[\p{L}][\p{L}\p{M}'’-]*/gu;
/** Two to three capitalised words in a row: the names readers shorten to their initials. */
const NAME = /\b(\p{Lu}[\p{L}\p{M}]+)(?:[ -](\p{Lu}[\p{L}\p{M}]+))(?:[ -](\p{Lu}[\p{L}\p{M}]+))?/gu;
const CAPITAL = /^\p{Lu}/u;
/** A link or a domain ("kremlin.ru" in a photo credit) is no use of its words: "ru" there does not make it a word of the articles. */
const ADDRESS = /\bhttps?:\/\/\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b(?:\/\S*)?/gu;
const SENTENCE_END = /[.!?"“:\n]\s*$/;
/** A name seen fewer times is not a reader's shorthand. */
const MIN_NAME_COUNT = 3;

/** What a segment stores: its articles' words (lower case → [count, capitalised uses]) and multi-word names by initials. */
export interface WordTallies {
  words: Record<string, [number, number]>;
  names: Record<string, Record<string, number>>;
}

/** A lower-cased word's tallies; `capitals` counts its capitalised uses past a sentence's first word. */
interface Tally {
  count: number;
  capitals: number;
}

export function tallyWords(texts: Iterable<string>): WordTallies {
  const tallies = new Map<string, Tally>();
  // Every word of every article passes here: each written form is looked up once, then its tally (shared by all
  // forms of the word) and whether it starts with a capital come from this map.
  const forms = new Map<string, { tally: Tally; capital: boolean }>();
  // No prototype: a word such as "constructor" is a key like any other.
  const names: WordTallies['names'] = Object.create(null);
  for (const raw of texts) {
    const text = raw.replace(ADDRESS, (address) => ' '.repeat(address.length));
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
        names[letters] ??= Object.create(null) as Record<string, number>;
        const byName = names[letters]!;
        byName[name] = (byName[name] ?? 0) + 1;
      }
    }
  }
  const words: WordTallies['words'] = Object.create(null);
  for (const [word, tally] of tallies) words[word] = [tally.count, tally.capitals];
  return { words, names };
}

/** Checks a stored WordTallies (from a file) and returns it; throws when it is not one. */
export function parseWordTallies(json: string): WordTallies {
  const value = JSON.parse(json) as WordTallies;
  if (typeof value?.words !== 'object' || typeof value?.names !== 'object' || value.words === null || value.names === null) throw new Error('not word tallies');
  return value;
}

export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  return vocabularyFrom([tallyWords(texts)]);
}

/** One vocabulary from the tallies of several segments. */
export function vocabularyFrom(parts: WordTallies[]): Vocabulary {
  const tallies = new Map<string, Tally>();
  const names = new Map<string, Map<string, number>>();
  for (const part of parts) {
    for (const word in part.words) {
      const [count, capitals] = part.words[word]!;
      const tally = tallies.get(word);
      if (tally) {
        tally.count += count;
        tally.capitals += capitals;
      } else tallies.set(word, { count, capitals });
    }
    for (const letters in part.names) {
      const byName = names.get(letters) ?? new Map<string, number>();
      for (const name in part.names[letters]) byName.set(name, (byName.get(name) ?? 0) + part.names[letters]![name]!);
      names.set(letters, byName);
    }
  }
  // Words by length, for near(): built on the first misspelling, not at load.
  let byLength: Map<number, string[]> | undefined;
  const wordsOfLength = (length: number) => {
    if (!byLength) {
      byLength = new Map();
      for (const word of tallies.keys()) {
        const list = byLength.get(word.length) ?? [];
        list.push(word);
        byLength.set(word.length, list);
      }
    }
    return byLength.get(length) ?? [];
  };
  // Hyphenated words and multi-word names by their letters alone, for writtenApart(): built on first use, not at load.
  let apart: Map<string, { written: string; count: number }> | undefined;
  const byLetters = () => {
    if (!apart) {
      apart = new Map();
      const offer = (written: string, count: number) => {
        const letters = written.toLowerCase().replace(/[ -]/g, '');
        if (count > (apart!.get(letters)?.count ?? 0)) apart!.set(letters, { written, count });
      };
      for (const [word, tally] of tallies) if (word.includes('-')) offer(word, tally.count);
      for (const byName of names.values()) for (const [name, count] of byName) if (count >= MIN_NAME_COUNT) offer(name, count);
    }
    return apart;
  };
  return {
    count: (word) => tallies.get(word.toLowerCase())?.count ?? 0,
    capitalShare: (word) => {
      const tally = tallies.get(word.toLowerCase());
      return tally?.count ? tally.capitals / tally.count : 0;
    },
    near(word, maxDistance) {
      const found: { word: string; distance: number }[] = [];
      for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
        for (const candidate of wordsOfLength(length)) {
          const distance = editDistance(word, candidate, maxDistance);
          if (distance <= maxDistance) found.push({ word: candidate, distance });
        }
      }
      const sameStart = (candidate: string) => (candidate[0] === word[0] ? 0 : 1);
      return found
        .sort((a, b) => a.distance - b.distance || sameStart(a.word) - sameStart(b.word) || tallies.get(b.word)!.count - tallies.get(a.word)!.count)
        .map((f) => f.word);
    },
    expand(letters) {
      const byName = names.get(letters.toLowerCase());
      if (!byName) return null;
      const [name, count] = [...byName].sort((a, b) => b[1] - a[1])[0]!;
      return count >= MIN_NAME_COUNT ? name : null;
    },
    writtenApart: (letters) => byLetters().get(letters.toLowerCase())?.written ?? null,
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
