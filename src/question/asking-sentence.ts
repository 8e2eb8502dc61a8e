// The sentences that ask, when a message holds more than one: "I read about the summit. What did Kim call Putin?"
// To the scorer every word of a message is a question word, and "read" or "summit", said in passing, is a word the
// answer does not hold: the chance of the answer fell from 0.87 to 0.26. The statements may also say what the
// question means ("Who signed it? The treaty with Russia, I mean."), so the whole message is not dropped either: it
// is asked whole and as each such sentence alone, and the answer more likely to be right is given
// (src/answer/ask.ts). Two questions in one message get the answer to the one the articles answer best.
import { splitSentences } from '../chunk/sentences.js';
import { pointsBack, readFollowUp } from '../conversation/follow-up.js';
import { ASKING_OPENERS, CONTRACTIONS, SHORTHAND } from './lexicon.js';

/** Messages of more sentences than this are read whole: a pasted paragraph is not a question with a preamble. */
const MOST_SENTENCES = 6;

/**
 * Each sentence that asks, read on its own, when the message has more than one sentence: as typed when it stands
 * alone; when it points back ("Putin went to Pyongyang. What did Kim call him?"), filled from the statements before
 * it as a follow-up is from the question before ("What did Kim call Putin"), or left out when nothing before it
 * fills it. None when the message is one sentence or no sentence asks. Two questions give two.
 */
export function askingSentences(message: string): string[] {
  // Chat is typed in lower case; the article splitter wants a capital after a full stop. Same length, same spans.
  const spans = splitSentences(message.replace(/([.!?…]["'”’)\]]*\s+)(\p{Ll})/gu, (_, end: string, letter: string) => end + letter.toUpperCase()));
  if (spans.length < 2 || spans.length > MOST_SENTENCES) return [];
  const sentences = spans.map((s) => message.slice(s.start, s.end));
  return sentences.flatMap((sentence, i) => {
    if (!asks(sentence)) return [];
    if (!pointsBack(sentence)) return [sentence];
    // Only statements fill it: after a question, "Was it nice?" is a second question about the first.
    const before = sentences.slice(0, i);
    const filled = before.length && !before.some(asks) ? readFollowUp(before.join(' '), sentence) : null;
    return filled ? [filled] : [];
  });
}

function asks(sentence: string): boolean {
  if (/\?["'”’)\]]*$/u.test(sentence)) return true;
  const first =
    sentence
      .match(/[\p{L}][\p{L}'’]*/u)?.[0]
      .toLowerCase()
      .replace(/’/g, "'") ?? '';
  const read = (CONTRACTIONS[first] ?? SHORTHAND[first] ?? first).toLowerCase().split(' ')[0]!;
  return ASKING_OPENERS.has(read);
}
