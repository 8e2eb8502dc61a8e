// Question analysis, done once per question and passed to retrieval and sentence scoring: the text as read
// (chat-speak and typos read as meant), its weighted terms and related words, its focus and the answer type.
import type { LexicalIndex } from '../store/lexical.js';
import { STOPWORDS, terms } from '../store/lexical.js';
import { NEIGHBOUR_CREDIT, SYNONYM_CREDIT, thesaurus } from '../retrieve/thesaurus.js';
import type { LoadedIndex } from '../store/types.js';
import { expectedAnswerType, type AnswerType } from './answer-type.js';
import { questionFocus, type FocusWord } from './focus.js';
import { normalizeQuestion } from './normalize.js';
import { readQuestion } from './reading.js';
import { questionTerms, type QuestionTerms } from './terms.js';
import { vocabularyOf, type Vocabulary } from './vocabulary.js';

export interface FocusTerms {
  word: string;
  /** The terms that meet it: its own, and the related words the articles use. */
  terms: Set<string>;
  /** A kind of person, place or organisation ("which carmaker"): a name the question lacks meets it too. */
  byName: boolean;
  /** A category the answer is an instance of: missing it makes a quote less likely, not wrong. */
  category: boolean;
}

export interface AnalysedQuestion {
  /** As asked, normalised (NFC, no invisible characters, bounded). */
  asked: string;
  /** As read: what is embedded and searched. */
  text: string;
  /** `text` when it differs from what was asked, for the reader to see; null otherwise. */
  readAs: string | null;
  terms: QuestionTerms;
  answerType: AnswerType | null;
  /** What the quote must speak of for the answer to count (see focus.ts); null when the grammar names nothing. */
  focus: { words: FocusTerms[]; metByNumber: boolean } | null;
  /**
   * Terms of things the articles never name, nor by a synonym ("pope", "bitcoin"): nouns, or words no dictionary
   * knows. A quote that does not hold them (or a synonym) is not about what was asked.
   */
  required: string[];
  /** Months the question names ("in november"): 1–12. Articles of that month, or sentences naming it, answer it. */
  months: number[];
  /**
   * Asked in the present ("is the treaty in force?", "what does NATO think?") and of no time it names: the newest
   * articles know the current state best, when the articles update each other.
   */
  current: boolean;
  /**
   * For "what did X say / call / think…": the terms of the verb of saying. Any reported speech meets it (a quotation,
   * or a verb of saying: "said", "warned", "hailed"), since the articles rarely repeat the reader's verb.
   */
  speech: string[] | null;
  /** For "who is X?": X's terms. A sentence that puts a role next to X ("Kremlin aide Yuri Ushakov") answers it. */
  definitionOf: string[] | null;
}

export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A word the articles write with a capital this often is a name ("putin" → Putin). */
const NAME_CAPITAL_SHARE = 0.6;

export function analyseQuestion(raw: string, maxChars: number, index: LoadedIndex): AnalysedQuestion {
  const asked = normalizeQuestion(raw, maxChars);
  const vocabulary = vocabularyOf(index);
  const words = thesaurus();
  const reading = readQuestion(asked, vocabulary, (word) => words.isWord(word));
  const cased = withNames(reading.text, vocabulary);
  const lowerWords = grammarWords(reading.text);
  const focus = questionFocus(lowerWords, (word) => words.partsOfSpeech(word));
  const questionTermsFound = questionTerms(cased, index.lexical);
  const speech = speechVerb(grammarWords(cased, true));
  // Any reported speech stands in for the reader's verb of saying, a little below the verb itself.
  for (const t of questionTermsFound.terms) if (speech?.includes(t.term)) t.alternatives.push({ terms: [REPORTED_SPEECH], credit: SYNONYM_CREDIT });
  return {
    asked,
    text: reading.text,
    readAs: reading.readAs,
    terms: questionTermsFound,
    answerType: expectedAnswerType(reading.text, words),
    focus: focus && { words: focus.words.flatMap((f) => focusTermsOf(f, index.lexical)), metByNumber: focus.metByNumber },
    definitionOf: definitionSubject(lowerWords),
    speech,
    months: [...new Set(lowerWords.map((w) => MONTHS.indexOf(w) + 1).filter((m) => m > 0))],
    current: askedInPresent(lowerWords),
    required: unnamed(lowerWords, focus?.words.map((f) => f.word) ?? [], questionTermsFound, index.lexical, properNames(asked), outletNames(index)),
  };
}

/**
 * Things the question names that the articles never mention in any word: nouns (or words no dictionary knows)
 * that neither they nor a single-word synonym, broader or narrower term occur anywhere ("pope", "bitcoin").
 */
function unnamed(words: string[], focusWords: string[], questionTerms: QuestionTerms, lexical: LexicalIndex, names: Set<string>, outlets: string[]): string[] {
  const dictionary = thesaurus();
  const out = new Set<string>();
  for (const word of words) {
    if (/\d/.test(word) || focusWords.includes(word) || (!names.has(word) && !isThing(dictionary.partsOfSpeech(word)))) continue;
    for (const term of terms(word)) {
      // A name stands only for itself ("France" is not "French"); a common noun also for a related word.
      const known =
        lexical.idf(term) ||
        namesOutlet(outlets, word) ||
        (!names.has(word) && questionTerms.terms.find((t) => t.term === term)?.alternatives.some((a) => a.terms.length === 1 && a.credit >= NEIGHBOUR_CREDIT));
      if (!known) out.add(term);
    }
  }
  return [...out];
}

/** Publishers as one run of letters ("themoscowtimes.com" → "themoscowtimescom"): how a question's words find them. */
export function outletNames(index: Pick<LoadedIndex, 'articles'>): string[] {
  return [...new Set(index.articles.map((a) => outletName(a.meta.publisher)).filter(Boolean))];
}

export function outletName(publisher: string | null): string {
  return compact(publisher ?? '');
}

/** Shorter words than this are too common to pick out an outlet's name. */
const MIN_OUTLET_WORD = 4;

/** The (lower-case) word is part of an outlet's name ("times" of "The Moscow Times", written "themoscowtimes.com"). */
export function namesOutlet(outlets: string[], word: string): boolean {
  return word.length >= MIN_OUTLET_WORD && !STOPWORDS.has(word) && outlets.some((o) => o.includes(word));
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Words the reader capitalised past the question's first word: names ("Pride and Prejudice", "France"). */
function properNames(asked: string): Set<string> {
  return new Set((asked.match(/(?<=[\p{L}\p{N},;:'"]\s+)\p{Lu}[\p{L}\p{M}-]*/gu) ?? []).map((w) => w.toLowerCase()));
}

/** A noun and nothing else, or a word no dictionary knows (a name, a brand): something a text names. */
function isThing(pos: string[]): boolean {
  return pos.length === 0 || (pos.length === 1 && pos[0] === 'noun');
}

/** The words as the grammar rules read them: lower case (names kept capitalised with `keepNames`), "what's" as "what is", possessives dropped. */
function grammarWords(text: string, keepNames = false): string[] {
  return (
    (keepNames ? text.replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase()) : text.toLowerCase())
      .replace(/\b(what|who|where|when|how|that|there|here|it)['’]s\b/g, '$1 is')
      .replace(/['’]s\b/g, '')
      .match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*/gu) ?? []
  );
}

/** Names capitalised as the articles write them, so the rules for names see "hanoi" as Hanoi. */
function withNames(text: string, vocabulary: Vocabulary): string {
  return text.replace(/[\p{L}][\p{L}\p{M}-]*/gu, (word) =>
    vocabulary.count(word) > 1 && vocabulary.capitalShare(word) >= NAME_CAPITAL_SHARE ? word[0]!.toUpperCase() + word.slice(1) : word,
  );
}

/**
 * The terms that meet a focus word. A word asked about is met by itself, a close synonym or a derived form; a
 * category the articles use binds nothing (its instances answer it), and one they never use is met by the
 * related words they do use ("shells" → ammunition) or, for a kind of person, place or organisation, by a name.
 */
function focusTermsOf(focus: FocusWord, lexical: LexicalIndex): FocusTerms[] {
  const own = terms(focus.word);
  if (!focus.category) {
    const out = new Set(own);
    for (const related of thesaurus().closelyRelated(focus.word, focus.pos)) {
      const relatedTerms = terms(related);
      if (relatedTerms.length === 1 && lexical.idf(relatedTerms[0]!)) out.add(relatedTerms[0]!);
    }
    return [{ word: focus.word, terms: out, byName: false, category: false }];
  }
  if (own.some((t) => lexical.idf(t))) return [];
  const out = new Set(own);
  const words = thesaurus();
  // An answer names a kind of the category ("what vehicle" → limousine) or the category by a close synonym.
  for (const synonym of words.closelyRelated(focus.word, 'noun')) addTerm(out, synonym, lexical);
  for (const kind of words.narrower(focus.word)) addTerm(out, kind, lexical);
  return [
    { word: focus.word, terms: out, byName: words.isPerson(focus.word) || words.isLocation(focus.word) || words.isKindOf(focus.word, 'group'), category: true },
  ];
}

/** Adds a one-word term the articles use. */
function addTerm(out: Set<string>, word: string, lexical: LexicalIndex): void {
  const wordTerms = terms(word);
  if (wordTerms.length === 1 && lexical.idf(wordTerms[0]!)) out.add(wordTerms[0]!);
}

/** The term a sentence that reports speech holds (not a word: no text yields it). */
export const REPORTED_SPEECH = '\u0000speech';

const AUXILIARIES = new Set(['did', 'does', 'do', 'has', 'have', 'had', 'will', 'would', 'is', 'are', 'was', 'were']);

/** "What did Lavrov say…", "did Putin say…", "what does NATO think…": a verb of saying or thinking after the subject. */
export function speechVerb(words: string[]): string[] | null {
  const aux = words.findIndex((w) => AUXILIARIES.has(w));
  if (aux < 0 || aux > 1) return null;
  const dictionary = thesaurus();
  for (let i = aux + 2; i < words.length; i++) {
    const word = words[i]!;
    // The subject's names ("the White House") are skipped; the first word that may be a verb is the question's verb.
    if (STOPWORDS.has(word.toLowerCase()) || /^\p{Lu}/u.test(word)) continue;
    if (!dictionary.partsOfSpeech(word).includes('verb')) continue;
    if (dictionary.isSpeechVerb(word)) return terms(word);
    return null;
  }
  return null;
}

/** Words that ask about the present state: "is it ratified yet?", "what's the latest?", "is it still in force?". */
const NOW = new Set(['now', 'yet', 'still', 'currently', 'latest', 'status', 'anymore', 'today', 'presently']);

/**
 * About the current state: the question says so ("now", "yet", "still", "latest") or asks in the present perfect
 * ("has it been ratified?", "have the troops arrived?"), and names no month of its own.
 */
export function askedInPresent(words: string[]): boolean {
  if (words.some((w) => MONTHS.includes(w) || /^\d{4}$/.test(w))) return false;
  const first = words.find((w) => AUXILIARIES.has(w));
  return words.some((w) => NOW.has(w)) || first === 'has' || first === 'have';
}

/** "who is X", "who's X", "who was X": the terms of X. */
function definitionSubject(words: string[]): string[] | null {
  if (words[0] !== 'who' || !['is', 'was', 'are', 'were'].includes(words[1] ?? '')) return null;
  const subject = terms(words.slice(2).join(' '));
  return subject.length ? subject : null;
}
