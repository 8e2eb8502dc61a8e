// The question as text to analyse: one Unicode form, no invisible characters, single spaces, a bounded length.

/** Control and invisible format characters (zero-width, bidi overrides) carry no meaning for search. */
const INVISIBLE = /[\p{Cc}\p{Cf}]+/gu;

export function normalizeQuestion(raw: string, maxChars: number): string {
  // NFKC: a decomposed accent ("Choso\u0306n", as phones and pasted text produce) is the same letter as a composed
  // one, and letters in compatibility forms are the letters they show (fullwidth "ｗｈａｔ", "𝐰𝐡𝐚𝐭" pasted from a
  // font generator, the ligature "ﬁ"): read as the symbols of another alphabet, they matched no word and were answered.
  const clean = raw
    .normalize('NFKC')
    // A line of chat that ends without a mark ends its sentence ("i was reading the reuters piece⏎what did kim call
    // putin" is a statement and a question, not one run of words).
    .replace(/(?<=[\p{L}\p{N}])[ \t]*(?:\r?\n)+/gu, '. ')
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ');
  const chars = Array.from(withOneMark(clean).trim());
  return chars.length > maxChars ? chars.slice(0, maxChars).join('').trimEnd() : chars.join('');
}

/**
 * Marks typed over and over are emphasis ("???!!" asks as "?" does; "…" trailing off asks nothing more), and each
 * would be one more token of the question's embedding. Also once chat after them is set aside ("…? right?").
 */
export function withOneMark(text: string): string {
  return (
    text
      .replace(/[?!]{2,}/g, (run) => (run.includes('?') ? '?' : '!'))
      // (One run, no nested repeats: "(?:\.{2,}|…)+" tried every split of a long row of dots, seconds for forty.)
      .replace(/\s*(?:\.\.|…)[.…]*\s*$/u, '')
  );
}
