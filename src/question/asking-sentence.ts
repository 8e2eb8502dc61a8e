// The one sentence that asks, when a message holds statements beside it: "I read about the summit. What did Kim
// call Putin?" To the scorer every word of a message is a question word, and "read" or "summit", said in passing,
// is a word the answer does not hold: the chance of the answer fell from 0.87 to 0.26. The statements may also say
// what the question means ("Who signed it? The treaty with Russia, I mean."), so the whole message is not dropped
// either: both are asked, and the answer more likely to be right is given (src/answer/ask.ts).
import { splitSentences } from '../chunk/sentences.js';
import { pointsBack } from '../conversation/follow-up.js';
import { ASKING_OPENERS, CONTRACTIONS, SHORTHAND } from './lexicon.js';

/** Messages of more sentences than this are read whole: a pasted paragraph is not a question with a preamble. */
const MOST_SENTENCES = 6;

/**
 * The sentence that asks, or null: when the message is one sentence, when several sentences ask (or none does), or
 * when the asking one points back to the others ("Putin went to Pyongyang. What did Kim call him?").
 */
export function askingSentence(message: string): string | null {
  // Chat is typed in lower case; the article splitter wants a capital after a full stop. Same length, same spans.
  const spans = splitSentences(message.replace(/([.!?…]["'”’)\]]*\s+)(\p{Ll})/gu, (_, end: string, letter: string) => end + letter.toUpperCase()));
  if (spans.length < 2 || spans.length > MOST_SENTENCES) return null;
  const asking = spans.map((s) => message.slice(s.start, s.end)).filter(asks);
  if (asking.length !== 1 || pointsBack(asking[0]!)) return null;
  return asking[0]!;
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
