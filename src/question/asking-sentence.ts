// The sentences that ask, when a message holds more than one: "I read about the summit. What did Kim call Putin?"
// To the scorer every word of a message is a question word, and "read" or "summit", said in passing, is a word the
// answer does not hold: the chance of the answer fell from 0.87 to 0.26. The statements may also say what the
// question means ("Who signed it? The treaty with Russia, I mean."), so the whole message is not dropped either: it
// is asked whole and as each such sentence alone, and the answer more likely to be right is given
// (src/answer/ask.ts). Two questions in one message get the answer to the one the articles answer best.
import { splitSentences } from '../chunk/sentences.js';
import { pointsBack, readFollowUp } from '../conversation/follow-up.js';
import { readWord, withoutChatFrame } from './chat-frame.js';
import { ASKING_OPENERS } from './lexicon.js';

/** Messages of more sentences than this are read whole: a pasted paragraph is not a question with a preamble. */
const MOST_SENTENCES = 6;

/**
 * Each sentence that asks, read on its own, when the message has more than one sentence: as typed, and, when it points
 * back ("Putin went to Pyongyang. What did Kim call him?"), also filled from the statements before it as a follow-up
 * is from the question before ("What did Kim call Putin"). None when the message is one sentence or no sentence asks.
 * Two questions give two. A statement joined to its question by a comma, colon, dash or "but" ("newbie here, who
 * signed the treaty", "sorry if this is dumb but who…") counts as a sentence of its own.
 */
export function askingSentences(message: string): string[] {
  // Chat is typed in lower case; the article splitter wants a capital after a full stop, and reads a capital letter
  // alone before one as an initial ("n. korea" is "N. Korea", one sentence; "i have a q. who…" is two). Same length, same spans.
  const cased = message
    .replace(/(?<![\p{L}\p{N}])\p{Ll}(?=\.\s*(\p{L}[\p{L}'’]*))/gu, (letter: string, next: string) => (opensAsking(next) ? letter : letter.toUpperCase()))
    .replace(/([.!?…]["'”’)\]]*\s+)(\p{Ll})/gu, (_, end: string, letter: string) => end + letter.toUpperCase());
  const spans = splitSentences(cased);
  const sentences = spans.flatMap((s) => clauses(message.slice(s.start, s.end)));
  if (sentences.length < 2 || sentences.length > MOST_SENTENCES) return [];
  // Each sentence without the chat around it, as the message is ("I hope you're well. I was wondering what kim
  // called putin": the second asks once "I was wondering" is set aside); a sentence that is only chat stays a statement
  // and never asks: "any idea?" read alone had matched "exchange ideas" at a 0.71 chance.
  const framed = sentences.map((sentence) => withoutChatFrame(sentence));
  return framed.flatMap((sentence, i) =>
    sentence
      ? asking(
          sentence,
          framed.slice(0, i).map((before, j) => before || sentences[j]!),
        )
      : [],
  );
}

/** The sentence as asked, and filled from the statements before it when it points back; none when it does not ask. */
function asking(sentence: string, before: string[]): string[] {
  if (!asks(sentence)) return [];
  if (!pointsBack(sentence)) return [sentence];
  // Filled only from statements: after a question, "Was it nice?" is a second question about the first. Read
  // alone as well: a pronoun may point within the question ("what did the Normans call their duchy?").
  const filled = before.length && !before.some(asks) ? readFollowUp(before.join(' '), sentence) : null;
  return filled ? [filled, sentence] : [sentence];
}

/**
 * Hashtags before a sentence's words ("#putin #kim who signed it"), or after them past a mark or two or more ("who
 * signed it? #treaty", "who signed it #putin #kim"), label its topic: a statement of their own. One after the last
 * word may be the sentence's own ("what did kim say about the #treaty").
 */
const TAGS_FIRST = /^\s*(?:#[\p{L}\p{N}_]+[\s,]*)+(?=[\p{L}\p{N}])/u;
const TAGS_LAST = /(?:(?<=[?!.)])(?:[\s,]*#[\p{L}\p{N}_]+)+|(?:[\s,]+#[\p{L}\p{N}_]+){2,})[\s.!?]*$/u;

/** An aside in brackets after a sentence's words ("who signed it (the treaty)?") is a statement of its own too. */
const ASIDE_LAST = /\s*\([^()]*[\p{L}\p{N}][^()]*\)[\s.!?]*$/u;

/** Where a clause ends and an asking one may begin: a comma, colon, semicolon or dash, or "but" / "so" / "and". */
const CLAUSE_END = /(?:[,;:]|\s[-–—])\s*(?:(?:but|so|and)\s+)?|\s(?:but|so|and)\s+/giu;

/**
 * A sentence whose first clause states and whose rest asks, as two ("sorry if this is dumb but who signed it?", "i was
 * reading about the treaty and i was wondering who signed it"). After "and" the rest must open with chat that asks:
 * "who signed and when" is one question. A question followed, after a mark, by a clause with a subject of its own is
 * two as well ("what did kim call putin - this is about the treaty"), as it is after a question mark.
 */
function clauses(sentence: string): string[] {
  const tagsFirst = sentence.match(TAGS_FIRST)?.[0];
  if (tagsFirst) return [tagsFirst.trim(), ...clauses(sentence.slice(tagsFirst.length))];
  const last = sentence.match(TAGS_LAST) ?? sentence.match(ASIDE_LAST);
  // The marks after them end the question, not the statement: "… (about the treaty)?" does not ask.
  if (last?.index) return [...clauses(sentence.slice(0, last.index)), last[0].replace(/[\s.!?]+$/u, '').trim()];
  for (const end of sentence.matchAll(CLAUSE_END)) {
    const head = sentence.slice(0, end.index).trim();
    const rest = sentence.slice(end.index + end[0].length).trim();
    if (!head || !rest) continue;
    const framed = withoutChatFrame(rest);
    const chatThenAsking = firstWord(framed) !== firstWord(rest) && opensAsking(framed);
    const asking = /\band\s+$/iu.test(end[0]) ? chatThenAsking : opensAsking(rest) || chatThenAsking;
    if (asking) return opensAsking(head) ? [sentence] : [head, ...clauses(rest)];
    if (opensAsking(head) && /^\s*(?:[,;:]|[-–—])\s*$/u.test(end[0]) && statesItself(rest)) return [head, ...clauses(rest)];
  }
  return [sentence];
}

/**
 * A clause with a subject of its own ("this is about the treaty", "i think it was june"), which does not ask: a subject
 * pronoun, or "this" / "that" with its verb ("this year", "that treaty" name a thing).
 */
const statesItself = (clause: string) =>
  (SUBJECTS.has(firstWord(clause).replace('’', "'")) || /^(?:this|that)(?:\s+(?:is|was)\b|['’]s\b)/iu.test(clause)) &&
  /\s\S/u.test(clause) &&
  !opensAsking(clause);

/** Subject pronouns, as typed with or without their verb's apostrophe ("its" is also a possessive: not one). */
const SUBJECTS = new Set("i i'm im i've ive it it's we we're they they're he he's she she's thats there's theres".split(' '));

const firstWord = (text: string) => text.match(/[\p{L}\p{N}][\p{L}\p{N}'’]*/u)?.[0].toLowerCase() ?? '';

function asks(sentence: string): boolean {
  return /\?["'”’)\]]*$/u.test(sentence) || opensAsking(sentence);
}

/**
 * A question word or yes/no verb first, as read, or after a preposition ("In what country…", "To whom…"). A
 * contraction counts by its first word: "whats" reads "what's", which opens as "what" does; "didn't" as "did".
 */
function opensAsking(text: string): boolean {
  const [first = '', second = ''] = (text.match(/[\p{L}][\p{L}'’]*/gu) ?? [])
    .slice(0, 2)
    .map((word) => readWord(word)[0]!.replace(/(?:n['’]t|['’](?:s|re|ll|d|ve))$/u, ''));
  return ASKING_OPENERS.has(first) || (PREPOSITIONS.has(first) && QUESTION_WORDS.has(second));
}

const PREPOSITIONS = new Set('in on at from to by for with during after before of since until about under over into through against between'.split(' '));
const QUESTION_WORDS = new Set('what which whom whose when where how who'.split(' '));
