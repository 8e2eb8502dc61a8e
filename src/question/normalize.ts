// The question as text to analyse: one Unicode form, no invisible characters, single spaces, a bounded length.

/** Control and invisible format characters (zero-width, bidi overrides) carry no meaning for search. */
const INVISIBLE = /[\p{Cc}\p{Cf}]+/gu;

export function normalizeQuestion(raw: string, maxChars: number): string {
  // NFC: a decomposed accent ("Choso\u0306n", as phones and pasted text produce) is the same letter as a composed one.
  const clean = raw.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  return chars.length > maxChars ? chars.slice(0, maxChars).join('').trimEnd() : clean;
}
