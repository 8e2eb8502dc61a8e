// Question analysis, done once per question and passed to retrieval and the answer scorer: the text as read
// (chat-speak and typos read as meant) and its weighted terms with the related words the articles use.
import { wordVectors } from '../answer/word-vectors.js';
import { thesaurus } from '../retrieve/thesaurus.js';
import type { LoadedIndex } from '../store/types.js';
import { askingSentences } from './asking-sentence.js';
import { withoutChatFrame } from './chat-frame.js';
import { normalizeQuestion } from './normalize.js';
import { readQuestion } from './reading.js';
import { questionTerms, type QuestionTerms } from './terms.js';

export interface AnalysedQuestion {
  /** As asked, normalised (NFC, no invisible characters, bounded). */
  asked: string;
  /** As read, without the chat around it (greetings, thanks, laughter): what is embedded and searched. */
  text: string;
  /** `text` when it differs from what was asked, for the reader to see; null otherwise. */
  readAs: string | null;
  terms: QuestionTerms;
}

/**
 * A sentence of a message is read alone only when it names at least this many things: after a question, "is that
 * true?" or "what do you think?" alone had one word to match, found it somewhere at a high chance, and that reading won.
 */
const FEWEST_TERMS_ALONE = 2;

export function analyseQuestion(raw: string, maxChars: number, index: LoadedIndex): AnalysedQuestion {
  const asked = normalizeQuestion(raw, maxChars);
  return read(asked, withoutChatFrame(asked), index);
}

/** A message as read whole, and the readings of it to answer. */
export interface Readings {
  /** The whole message: what a declined answer says was asked. */
  whole: AnalysedQuestion;
  /** The whole (unless it says no more than its questions) and each sentence that asks on its own; never empty. */
  toAnswer: AnalysedQuestion[];
}

/**
 * The ways a message can be read: whole, and, when it has several sentences, each sentence that asks on its own
 * (src/question/asking-sentence.ts).
 */
export function questionReadings(raw: string, maxChars: number, index: LoadedIndex): Readings {
  const asked = normalizeQuestion(raw, maxChars);
  const question = withoutChatFrame(asked);
  const whole = read(asked, question, index);
  // A sentence read alone that reads as the whole message ("lol. what did kim call putin") is not scored twice; one
  // that names too little stays part of the whole.
  const alone = askingSentences(question)
    .map((sentence) => read(asked, sentence, index))
    .filter(
      (reading, i, all) =>
        reading.terms.terms.length >= FEWEST_TERMS_ALONE && reading.text !== whole.text && all.findIndex((r) => r.text === reading.text) === i,
    );
  // A sentence filled from the statements before it, as a follow-up is, is not read when the filling adds only words
  // most articles hold: "when had putin last visited before this trip (russia north korea treaty)".
  // Each term's articles are counted once per message: the readings share most of their terms.
  const shares = new Map<string, boolean>();
  const common = (term: string) => shares.get(term) ?? shares.set(term, inMostArticles(term, index)).get(term)!;
  const readings = alone
    .map((reading) => ({ ...reading, readAs: reading.text }))
    .filter((reading, _, all) => !all.some((other) => termCount(other) < termCount(reading) && saysNoMore(reading, [other], common)));
  return { whole, toAnswer: readings.length && saysNoMore(whole, readings, common) ? readings : [whole, ...readings] };
}

/**
 * Whether a reading adds to others only words that most articles hold ("… - this is about the putin kim treaty", in a
 * story where nearly every report names them): such words say nothing of which article answers (BM25's idf, as
 * Robertson and Spärck Jones weigh a word, is below zero past half the documents), yet read with the question they
 * matched a sentence naming them all at a higher chance than the answer.
 */
function saysNoMore(reading: AnalysedQuestion, others: AnalysedQuestion[], inMostArticles: (term: string) => boolean): boolean {
  const asked = new Set(others.flatMap((other) => other.terms.terms.map((t) => t.term)));
  return reading.terms.terms.every((t) => asked.has(t.term) || inMostArticles(t.term));
}

const termCount = (reading: AnalysedQuestion) => new Set(reading.terms.terms.map((t) => t.term)).size;

function inMostArticles(term: string, index: LoadedIndex): boolean {
  const articles = new Set<number>();
  for (const chunk of index.lexical.chunksWith(term)) articles.add(index.chunks[chunk]!.article);
  return articles.size * 2 > index.articles.length;
}

function read(asked: string, question: string, index: LoadedIndex): AnalysedQuestion {
  const words = thesaurus();
  const reading = readQuestion(
    question,
    index.vocabulary,
    (word) => words.isWord(word),
    (word) => wordVectors().row(word) >= 0,
  );
  // Chat the reading has just made readable ("plshelp" is "please help", "(sorryfor my english)") is set aside too.
  const reframed = reading.readAs ? withoutChatFrame(reading.text) : reading.text;
  const text = reframed || reading.text;
  return { asked, text, readAs: text === reading.text ? reading.readAs : text, terms: questionTerms(text, index.lexical) };
}
