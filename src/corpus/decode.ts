// Bytes → text as newsrooms' files come: UTF-8 with or without a byte-order mark, UTF-16 with one, and
// legacy single-byte files (Windows-1252, a superset of Latin-1's printable range) decoded with a note
// rather than refused. Line endings become \n. Legacy encodings through iconv-lite: Node 20's TextDecoder
// reads "windows-1252" as ISO-8859-1, which turns curly quotes and the euro sign into control characters.
import iconv from 'iconv-lite';

export interface DecodedText {
  text: string;
  /** Set when the text was not UTF-8 and how it was read may matter to someone checking the quotes. */
  note: string | null;
}

export class NotTextError extends Error {
  override name = 'NotTextError';
}

/** A charset an HTML page declares in its first bytes (`<meta charset>` or `http-equiv` content type). */
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;

export function decodeText(bytes: Uint8Array, declared: string | null = null): DecodedText {
  const text = decodeBytes(bytes, declared);
  return { text: text.text.replace(/\r\n?/g, '\n'), note: text.note };
}

function decodeBytes(bytes: Uint8Array, declared: string | null): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decode('utf-8', bytes.subarray(3)), note: null };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode('utf-16le', bytes.subarray(2)), note: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode('utf-16be', bytes.subarray(2)), note: null };
  // A NUL byte means binary data (UTF-16 without a byte-order mark is not guessed at).
  if (bytes.includes(0)) throw new NotTextError('is not a text file (binary data?); save it as UTF-8 text, HTML or PDF');
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, note: null };
  const label = declared ?? META_CHARSET.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 2048)))?.[1] ?? null;
  // Browsers read a page labelled Latin-1 as Windows-1252 (WHATWG Encoding): so do we.
  const legacy = label && !/^(?:utf-?8|iso-?8859-?1|latin-?1|us-ascii|ascii)$/i.test(label) && iconv.encodingExists(label) ? label : 'windows-1252';
  const name = legacy === 'windows-1252' ? 'Windows-1252 (cp1252/Latin-1)' : legacy;
  return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), legacy), note: `not valid UTF-8: decoded as ${name}; check its accents and quotes` };
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decode(label: string, bytes: Uint8Array): string {
  return new TextDecoder(label).decode(bytes);
}
