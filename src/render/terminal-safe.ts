// Text from outside (a page's title, an article, a reader's question) printed to a terminal must not drive it: an
// escape sequence can clear the screen, hide text, plant a link (OSC 8), or write the clipboard (OSC 52). Every
// terminal output (`npm run add`, `npm run ask`, `npm run report`) passes through `terminalSafe`.
// Node's util.stripVTControlCharacters was tried first: it leaves an OSC 52 payload containing "+" (base64) and DCS
// strings half-removed, with their BEL/ESC, and keeps every other control character (CR, backspace, C1).

/** Escape strings with a payload — OSC, DCS, SOS, PM, APC, as ESC-pairs or C1 — up to their terminator (BEL or ST). */
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)/g;
/** Control sequences (CSI): ESC [ or C1 CSI, parameters, intermediates, a final byte. */
const CONTROL_SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g;
/** Any other escape (ESC c resets the terminal, ESC ( 0 switches character sets), or an unterminated introducer. */
const OTHER_ESCAPE = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
/** C0 controls but tab and newline, DEL, C1 controls. A lone CR would let text overwrite its own line. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/** Bidi embeddings, overrides and isolates: they reorder what the terminal shows ("Trojan Source"). Marks stay. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every escape sequence, control character (but tab and newline) and bidi override removed. */
export function terminalSafe(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(STRING_SEQUENCE, '')
    .replace(CONTROL_SEQUENCE, '')
    .replace(OTHER_ESCAPE, '')
    .replace(CONTROL, '')
    .replace(BIDI, '');
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but writes C1 controls, DEL and bidi overrides as they are.
 * Escaped here (\u009b), the data stays the same to a JSON reader.
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
