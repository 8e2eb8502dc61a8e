// The sentences that ask, when a message holds more than one: "I read about the summit. What did Kim call Putin?"
// To the scorer every word of a message is a question word, and "read" or "summit", said in passing, is a word the
// answer does not hold: the chance of the answer fell from 0.87 to 0.26. The statements may also say what the
// question means ("Who signed it? The treaty with Russia, I mean."), so the whole message is not dropped either: it
// is asked whole and as each such sentence alone, and the answer more likely to be right is given
// (src/answer/ask.ts). Two questions in one message get the answer to the one the articles answer best.
import { splitSentences } from '../chunk/sentences.js';
import { pointsBack } from '../conversation/follow-up.js';
import { ASKING_OPENERS, CONTRACTIONS, SHORTHAND } from './lexicon.js';

/** Messages of more sentences than this are read whole: a pasted paragraph is not a question with a preamble. */
const MOST_SENTENCES = 6;

/**
 * The sentences that ask and stand on their own, when the message has more than one sentence; none when it is one
 * sentence, when no sentence asks, or when those that ask point back to the others ("Putin went to Pyongyang. What
 * did Kim call him?"). Two questions in one message ("What did Kim call Putin? What did Putin give Kim?") give two.
 */
export function askingSentences(message: string): string[] {
  // Chat is typed in lower case; the article splitter wants a capital after a full stop. Same length, same spans.
  const spans = splitSentences(message.replace(/([.!?…]["'”’)\]]*\s+)(\p{Ll})/gu, (_, end: string, letter: string) => end + letter.toUpperCase()));
  if (spans.length < 2 || spans.length > MOST_SENTENCES) return [];
  return spans.map((s) => message.slice(s.start, s.end)).filter((sentence) => asks(sentence) && !pointsBack(sentence));
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
