// Sentence boundaries as character spans of the cleaned article text, so any sentence can be quoted exactly.

export interface Span {
  start: number;
  end: number;
}

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

// Terminal punctuation, then any closing quotes or brackets, then whitespace.
const CANDIDATE = /[.!?…]+["'”’»)\]]*(?=\s)/g;

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  const paragraph = /[^\n]+(?:\n(?!\n)[^\n]+)*/g;
  for (const p of text.matchAll(paragraph)) {
    const base = p.index;
    let start = 0;
    const body = p[0];
    for (const m of body.matchAll(CANDIDATE)) {
      const end = m.index + m[0].length;
      if (isSentenceEnd(body, m.index, m[0], end)) {
        pushTrimmed(spans, text, base + start, base + end);
        start = end;
      }
    }
    pushTrimmed(spans, text, base + start, base + body.length);
  }
  return spans;
}

function isSentenceEnd(body: string, at: number, punctuation: string, end: number): boolean {
  const next = body.slice(end).trimStart()[0];
  if (next === undefined) return true;
  // A lower-case continuation ("...?" he said) or a comma never starts a sentence.
  if (!/[\p{Lu}\p{N}"'“‘«([–—-]/u.test(next)) return false;
  if (!punctuation.startsWith('.') || punctuation.startsWith('..')) return true;
  const word = /(\S+)$/.exec(body.slice(0, at))?.[1] ?? '';
  const bare = word.replace(/^["'“‘([]+/, '');
  if (ABBREVIATIONS.has(bare.toLowerCase())) return false;
  if (/^\p{Lu}$/u.test(bare)) return false; // an initial: "Kim J. Un"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(bare)) return false; // U.S, e.g, a.m
  return true;
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) spans.push({ start, end });
}
