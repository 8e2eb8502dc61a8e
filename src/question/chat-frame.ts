// What a question says once the chat around it is set aside: "hey bot, what did Kim call Putin? lol" asks what
// "What did Kim call Putin?" asks. Words the articles never use weigh heavily in scoring (they are what a question
// the articles cannot answer looks like), so a greeting, thanks or laughter left in would turn an answerable
// question into a declined one.
import { withOneMark } from './normalize.js';
import { ABOUT_THE_BOT, CHAT_ADDRESSES, CHAT_CLOSINGS, CHAT_OPENINGS, CHAT_REACTION, CONTRACTIONS, SHORTHAND, isGreeting } from './lexicon.js';

interface Slot {
  /** Where the typed word starts and ends in the question. */
  start: number;
  end: number;
  /** The word as read (lower case, shorthand and contractions expanded: may be several words). */
  read: string[];
}

/** A word as typed, hyphenated ones whole ("well-known" is not "well"). */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*(?:-[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*)*/gu;
const phrases = (list: string[]) => list.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const OPENINGS = phrases(CHAT_OPENINGS);
const CLOSINGS = phrases(CHAT_CLOSINGS);
const ADDRESSES = phrases(CHAT_ADDRESSES);

/** A link pasted with a question: its words ("reuters", "2024", "sign") are no question words, and no link is opened. */
const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;
export const holdsLink = (text: string): boolean => text.search(LINK) >= 0;
/** An intensifier after a question word ("what the hell", "who on earth"): emphasis, never what is asked. */
const INTENSIFIER = /(?<=\b(?:what|who|where|when|why|how|which)\s+)(?:the\s+(?:hell|heck|fuck|frick|fk|f)|on\s+earth|in\s+the\s+world)\b/giu;
/** An emoticon typed on its own (":P", "<3", "o_O", "^^"): its letters and digits are no question words. */
const EMOTICON = /(?<!\S)(?:<\/?3+|[:;=][-'^o]?[()[\]dDpPoO03|\\/*@$]+|[()[\]pPoO|\\/*]+[-'^]?[:;=]|[oO0>^T;-][._]+[oO0<^T;-]|\^\^)(?!\S)/gu;
/** An emoji typed by its name (":thinking:", ":+1:") where no client drew it: a reaction, never a question word. */
const EMOJI_NAME = /(?<![\p{L}\p{N}]):[a-z0-9_+-]+:(?![\p{L}\p{N}])/gu;

/**
 * A tag that asks to have the question confirmed, after a comma at its end ("did putin go to hanoi, right?", "…, didn't
 * he?", "…? right?"): the question is what comes before it. After a comma or question mark only: "who was right" keeps its word.
 */
const TAG_QUESTION =
  /(?:,|(?<=\?))\s*(?:right|correct|true|yeah|yea|yes|ya|no|eh|huh|ok|okay|innit|or not|yes or no|am i right|is that right|is that correct|is that true|is it true|is this true|true or false|what do you think|wdyt|(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|wo|ca)(?:n['’]?t| not)?\s+(?:it|he|she|they|there|we|you|i|that|this))(?=[\s?!.]*$)/iu;

/** Surprise before the question, set off by a mark ("wait what, who signed it"); without one, "wait what did kim say" asks "what". */
const WAIT_WHAT = /^\s*wait\s+what\s*[,!?.]+/iu;
/** A bot command typed as text before the question ("/ask …", "!ask …", as other bots are asked): no question word. */
const TYPED_COMMAND = /^\s*[!/]\p{L}[\p{L}\p{N}_-]*/u;
/** A list number before the question ("1) …", "Q2: …"), as several questions are numbered: no question word. */
const LIST_NUMBER = /^\s*(?:q\s*)?\d{1,2}\s*[).:]\s/iu;
/**
 * Asking the room, or for a source, after the question's mark or an ellipsis ("…? anyone?", "…... any idea?", "…? source?"):
 * after one only, "did it help anyone" keeps its word. The answer cites its sources anyway.
 */
const ASKING_THE_ROOM =
  /(?<=\?|\.\.|…)\s*(?:anyone|anybody|any1|someone|somebody|thoughts|any thoughts|ideas|any ideas|any idea|help|can you help|can anyone help|can someone help|source|sources|any source|any sources|link|citation)\s*[?.!]*\s*$/iu;
/** Asking for a yes or no after the question ("… y/n", "… (yes/no)"): how to answer, not what is asked. */
const YES_NO = /(?<=\S)\s*[([]?\s*\b(?:y\/n|yes\/no)\s*[)\]]?(?=[\s?!.]*$)/iu;
/** A note that the message was edited ("… edit: typo", "(edited)"), after the question; at the start, what follows is the question. */
const EDIT_NOTE = /(?<=\S)\s*(?:[*([]\s*)?\bedit(?:ed)?\s*[:)\]][^\n]*$/iu;
/** A handle typed before the question ("@StoryDesk …") where no mention was made: whom it is said to. */
const HANDLE = /^\s*@[\p{L}\p{N}_.]+/u;
/**
 * A name signed after the question ("… - sarah", "… ~j", "… cheers, tom"): one word at the very end, after a dash or
 * tilde set apart by a space (a hyphen inside a word is no sign-off), or after "cheers" or a comma after thanks ("thx
 * bye" is two words of chat).
 */
const SIGN_OFF = /(?<=\S)\s+(?:[-–—~]\s*|(?:cheers,?|(?:thanks|thx|ty|tia),)\s+)\p{L}[\p{L}'’.]{0,20}\s*$/iu;

/** The question without the chat around it: as asked when nothing is around it, empty when it is all chat ("thanks!", "hi bot"). */
export function withoutChatFrame(asked: string): string {
  // Links, emoji names, emoticons, intensifiers, a closing tag, a typed command, surprise, a list number, a handle, an edit
  // note, asking the room, asking for a yes or no and a signed name become spaces of their length, so
  // every position below is the same in both texts.
  const blank = (text: string) => ' '.repeat(text.length);
  const question = asked
    .replace(LINK, blank)
    .replace(EMOJI_NAME, blank)
    .replace(EMOTICON, blank)
    .replace(INTENSIFIER, blank)
    .replace(TAG_QUESTION, blank)
    .replace(TYPED_COMMAND, blank)
    .replace(WAIT_WHAT, blank)
    .replace(LIST_NUMBER, blank)
    .replace(HANDLE, blank)
    .replace(EDIT_NOTE, blank)
    .replace(ASKING_THE_ROOM, blank)
    .replace(YES_NO, blank)
    .replace(SIGN_OFF, blank);
  const slots: Slot[] = [...question.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, read: readWord(m[0]) }));
  const kept = slots.filter((s) => !(s.read.length === 1 && CHAT_REACTION.test(s.read[0]!)));
  let first = 0;
  let last = kept.length;
  for (let n = take(kept, first, last, OPENINGS, 1); n; n = take(kept, first, last, OPENINGS, 1)) {
    const greeting = n === 1 && isGreeting(kept[first]!.read[0]!);
    first += n;
    if (greeting) first += take(kept, first, last, ADDRESSES, 1);
  }
  for (let n = take(kept, first, last, CLOSINGS, -1); n; n = take(kept, first, last, CLOSINGS, -1)) last -= n;
  const left = kept.slice(first, last);
  if (!left.length || ABOUT_THE_BOT.has(left.flatMap((s) => s.read).join(' '))) return '';
  if (left.length === slots.length) return question === asked ? asked : tidy(question);
  // Keep what is typed between the words that stay ("Kim's", "11,000", the question mark after the last one).
  let text = '';
  for (let i = 0; i < left.length; i++) {
    const slot = left[i]!;
    const next = left[i + 1];
    // After the last word, a question or exclamation mark stays; a full stop before the chat after it does not ("who
    // signed it. thanks" asks as "who signed it" does).
    const between = next ? question.slice(slot.end, next.start) : (question.slice(slot.end).match(/^[^\p{L}\p{N}]*?[?!]+/u)?.[0] ?? '');
    const skipped = next && slots.indexOf(next) !== slots.indexOf(slot) + 1;
    text += question.slice(slot.start, slot.end) + (skipped ? ' ' : between);
  }
  // The question mark stays when the chat after it is dropped ("…, bro?" still asks).
  const ending = /[?.!]$/u.test(text) ? '' : (question.match(/\?+(?=\s*$)/u)?.[0] ?? '');
  return tidy(text + ending);
}

/** Single spaces, none before the closing mark that a blanked tag or emoticon left behind ("june ?" → "june?"), one mark. */
const tidy = (text: string) =>
  withOneMark(
    text
      .replace(/\s+/g, ' ')
      .replace(/\s+(?=[?!.]+$)/u, '')
      .trim(),
  );

/** A word as read: lower case, drawn-out letters collapsed, shorthand and contractions expanded (may be several words). */
export function readWord(word: string): string[] {
  // Drawn-out letters ("heyyy", "thanksss", "okkk") are the same chat; no word of these lists has a letter three times.
  const lower = word
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/(\p{L})\1{2,}/gu, '$1');
  return (CONTRACTIONS.get(lower) ?? SHORTHAND.get(lower) ?? lower).toLowerCase().split(' ');
}

/**
 * How many slots from `from` (direction 1) or before `to` (direction −1) one of the phrases covers, whole slots
 * only; 0 when none does.
 */
function take(slots: Slot[], from: number, to: number, list: string[][], direction: 1 | -1): number {
  for (const phrase of list) {
    let words = 0;
    let count = 0;
    while (words < phrase.length) {
      const slot = direction === 1 ? slots[from + count] : slots[to - 1 - count];
      if (!slot || from + count >= to) break;
      const at = direction === 1 ? words : phrase.length - words - slot.read.length;
      if (at < 0 || !slot.read.every((w, i) => phrase[at + i] === w)) break;
      words += slot.read.length;
      count++;
    }
    if (words === phrase.length) return count;
  }
  return 0;
}
