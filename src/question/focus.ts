// What a question asks about, as its grammar says: "how tall…" asks about height, "how many dogs…" about dogs,
// "what colour…" about a colour, "how many soldiers died…" about dying. A quote that does not meet the focus
// (by the word, a related word, or — for counts and durations — by a number) does not answer the question,
// however much of the rest it repeats.
import { STOPWORDS } from '../store/lexical.js';
import type { Pos } from '../retrieve/thesaurus.js';

export interface FocusWord {
  word: string;
  /** The part of speech the question uses it in: its related words are looked up in that part only. */
  pos: Pos;
  /**
   * A category the answer belongs to ("which carmaker", "what colour", "how many dogs"): an answer names an
   * instance, not the category, so it binds only when the articles never use the word at all.
   */
  category: boolean;
}

export interface Focus {
  /** The words asked about ("tall", "dogs", "died"): each must be met by a quote, by itself or a related word. */
  words: FocusWord[];
  /** The question asks for an amount ("how many…", "how tall…"): the quote must hold a number. */
  metByNumber: boolean;
}

/** Counting and time units: "how many times", "how many years" are answered by the number itself. */
const UNITS = new Set(['time', 'times', 'year', 'years', 'month', 'months', 'week', 'weeks', 'day', 'days', 'hour', 'hours', 'minute', 'minutes', 'percent']);
/** "How long / often / far / soon…" ask for a duration, frequency or distance: a number answers them. */
const MEASURED_BY_NUMBER = new Set(['long', 'often', 'far', 'soon', 'late', 'early', 'frequently']);
/** After "how", these start a question of manner, not of degree ("how come", "how so"). */
const NOT_DEGREE = new Set(['come', 'so', 'about', 'many', 'much']);
const BE = new Set(['is', 'are', 'was', 'were', 's', 'be']);
const ARTICLES = new Set(['the', 'a', 'an']);
const KINDS = new Set(['kind', 'kinds', 'type', 'types', 'sort', 'sorts', 'form', 'forms', 'mode', 'modes', 'means']);

/**
 * The focus of a question's (lower-cased, read-as-meant) words, or null when its grammar names none
 * ("what did Lavrov say", "nato's take?"): then the question's terms as a whole decide.
 */
export function questionFocus(words: string[], partsOfSpeech: (word: string) => Pos[]): Focus | null {
  const at = (i: number) => words[i] ?? '';
  const contentRun = (from: number) => {
    // A noun phrase: words that may be nouns or adjectives, up to a function word or a word that is only a verb.
    const run: string[] = [];
    for (let i = from; i < words.length && !STOPWORDS.has(words[i]!); i++) {
      const pos = partsOfSpeech(words[i]!);
      if (pos.length && !pos.includes('noun') && !pos.includes('adj')) return { run, verb: words[i]! };
      run.push(words[i]!);
    }
    return { run, verb: null };
  };
  const category = (word: string): FocusWord => ({ word, pos: 'noun', category: true });

  for (let i = 0; i < words.length; i++) {
    const word = at(i);
    if (word === 'how' && (at(i + 1) === 'many' || at(i + 1) === 'much')) {
      const { run, verb } = contentRun(i + 2);
      const head = run[run.length - 1];
      if (!head) return null;
      // Units are answered by the number ("how many years"); "how many soldiers died" asks about dying too.
      if (UNITS.has(head)) return { words: [], metByNumber: true };
      return { words: [category(head), ...(verb ? [{ word: verb, pos: 'verb' as const, category: false }] : [])], metByNumber: true };
    }
    if (word === 'how' && at(i + 1) && !STOPWORDS.has(at(i + 1)) && !NOT_DEGREE.has(at(i + 1))) {
      const degree = at(i + 1);
      const pos = partsOfSpeech(degree);
      if (!pos.includes('adj') && !pos.includes('adv')) return null;
      return MEASURED_BY_NUMBER.has(degree)
        ? { words: [], metByNumber: true }
        : { words: [{ word: degree, pos: pos.includes('adj') ? 'adj' : 'adv', category: false }], metByNumber: true };
    }
    if ((word === 'what' || word === 'which') && i === firstQuestionWord(words)) {
      let from = i + 1;
      if (BE.has(at(from))) {
        // "what is the name…" names a category; "what was special…" asks for a description.
        if (!ARTICLES.has(at(from + 1))) return null;
        from++;
      }
      if (ARTICLES.has(at(from))) from++;
      // "what kind of vehicle": the category is the word after "kind of".
      if (KINDS.has(at(from)) && at(from + 1) === 'of') from += 2;
      const { run } = contentRun(from);
      // "What causes the…", "what makes a…": a word followed by an article is a verb, not a category.
      if (ARTICLES.has(at(from + run.length))) return null;
      // "what's the treaty's official name": the head of the phrase is its last word, or its last two when the
      // dictionary has them as one noun ("think tank").
      const pair = run.slice(-2).join(' ');
      const head = run.length >= 2 && partsOfSpeech(pair).includes('noun') ? pair : run[run.length - 1];
      return head ? { words: [category(head)], metByNumber: false } : null;
    }
  }
  return null;
}

function firstQuestionWord(words: string[]): number {
  return words.findIndex((w) => w === 'what' || w === 'which');
}
