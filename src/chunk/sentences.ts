// Sentence boundaries as character spans of the cleaned article text, so any sentence can be quoted exactly.

import type { SentenceSpan } from '../corpus/types.js';

export type Span = SentenceSpan;

/** Words that end in a period without ending the sentence. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'gen',
  'col',
  'lt',
  'maj',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'gov',
  // Titles of clergy, office and rank as news writes them before a name ("the Rev. Al Sharpton", "Fr. John").
  'fr',
  'rev',
  'msgr',
  'hon',
  'amb',
  'atty',
  'supt',
  'cpl',
  'pvt',
  'messrs',
  'sen',
  'rep',
  'pres',
  'st',
  'mt',
  'ft',
  'jr',
  'sr',
  'no',
  'nos',
  'vs',
  'v',
  'approx',
  'est',
  'dept',
  'univ',
  'inc',
  'ltd',
  'co',
  'corp',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'fig',
  'al',
  'cf',
  'vol',
  'op',
]);

/**
 * Words that end in a period before a number they refer to: "Art. 4", "para. 2", "p. 12", a date "c. 482" (circa)
 * (else "art." may end one).
 */
const NUMBER_ABBREVIATIONS = new Set(['art', 'arts', 'para', 'paras', 'sec', 'ch', 'pt', 'p', 'pp', 'cl', 'c', 'ca']);

const TERMINAL = new Set(['.', '!', '?', '…']);
const CLOSING = new Set(['"', "'", '”', '’', '»', ')', ']']);
const SPACE = /\s/;
/**
 * A run of text with no sentence end (a paste with no punctuation, a table flattened to text) is cut at a
 * space into pieces of at most this many characters: past any real sentence (a 3,000-character inventory
 * list is quoted trimmed), and short enough that tokenizing one piece holds the event loop for milliseconds.
 */
export const MAX_SENTENCE_CHARS = 5000;
/** Abbreviations and initials are short: a longer word before a period is never one of them. */
const LONGEST_ABBREVIATION = 40;

/**
 * Sentence spans in one pass over the text: every step looks only at the characters around a full stop,
 * so the cost is linear in the text however long a paragraph runs (a regex over the rest of the paragraph
 * at every full stop took 218 s on a 3.1 MB text with no blank line).
 */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  const paragraph = /[^\n]+(?:\n(?!\n)[^\n]+)*/g;
  for (const p of text.matchAll(paragraph)) {
    const base = p.index;
    let start = 0;
    const body = p[0];
    for (const { at, end } of candidates(body)) {
      if (isSentenceEnd(body, at, end)) {
        pushTrimmed(spans, text, base + start, base + end);
        start = end;
      }
    }
    pushTrimmed(spans, text, base + start, base + body.length);
  }
  return spans;
}

/** Terminal punctuation, then any closing quotes or brackets, then whitespace: where a sentence may end. */
function* candidates(body: string): Generator<{ at: number; end: number }> {
  let i = 0;
  while (i < body.length) {
    if (!TERMINAL.has(body[i]!)) {
      i++;
      continue;
    }
    const at = i;
    while (i < body.length && TERMINAL.has(body[i]!)) i++;
    while (i < body.length && CLOSING.has(body[i]!)) i++;
    if (i < body.length && SPACE.test(body[i]!)) yield { at, end: i };
  }
}

function isSentenceEnd(body: string, at: number, end: number): boolean {
  let n = end;
  while (n < body.length && SPACE.test(body[n]!)) n++;
  const next = body[n];
  if (next === undefined) return true;
  // A lower-case continuation ("...?" he said) or a comma never starts a sentence.
  if (!/[\p{Lu}\p{N}"'“‘«([–—-]/u.test(next)) return false;
  if (body[at] !== '.' || body[at + 1] === '.') return true;
  let from = at;
  while (from > 0 && at - from <= LONGEST_ABBREVIATION && !SPACE.test(body[from - 1]!)) from--;
  if (at - from > LONGEST_ABBREVIATION) return true;
  const bare = body.slice(from, at).replace(/^["'“‘([]+/, '');
  if (ABBREVIATIONS.has(bare.toLowerCase())) return false;
  if (/\p{N}/u.test(next) && NUMBER_ABBREVIATIONS.has(bare.toLowerCase())) return false;
  if (/^\p{Lu}$/u.test(bare)) return false; // an initial: "Kim J. Un"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(bare)) return false; // U.S, e.g, a.m
  return true;
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && SPACE.test(text[start]!)) start++;
  while (end > start && SPACE.test(text[end - 1]!)) end--;
  while (end - start > MAX_SENTENCE_CHARS) {
    let cut = start + MAX_SENTENCE_CHARS;
    while (cut > start && !SPACE.test(text[cut]!)) cut--;
    if (cut === start) {
      // No space at all: cut anyway, never between the halves of a surrogate pair.
      cut = start + MAX_SENTENCE_CHARS;
      if (/[\uDC00-\uDFFF]/.test(text[cut]!)) cut--;
    }
    let pieceEnd = cut;
    while (pieceEnd > start && SPACE.test(text[pieceEnd - 1]!)) pieceEnd--;
    spans.push({ start, end: pieceEnd });
    start = cut;
    while (start < end && SPACE.test(text[start]!)) start++;
  }
  if (end > start) spans.push({ start, end });
}
