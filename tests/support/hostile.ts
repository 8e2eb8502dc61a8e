// Hostile input and the checks every outgoing Discord message must pass: shared by the fuzz test and
// scripts/hostile-report.ts (the README's figures), so both try the same inputs against the same rules.
import fc from 'fast-check';

/** Bidi embeddings, overrides, isolates and marks, zero-width spaces and joiners, word joiner, BOM, soft hyphen. */
export const INVISIBLES = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
];
/** Single code points, pairs, flags, keycaps, skin tones and ZWJ sequences: every way an emoji can be cut. */
export const EMOJI = ['😀', '🔥', '🇰🇵', '🇷🇺', '👩‍💻', '👨‍👩‍👧‍👦', '👍🏽', '1️⃣', '❤️', '🏳️‍🌈', '✌'];
/** Letters with combining accents, as phones and pasted text produce them. */
export const DECOMPOSED = [
  'Choso\u0306n',
  'Pyo\u0306ngyang',
  'Kim Jo\u0306ng-u\u0306n',
  'Re\u0301sume\u0301',
  'e\u0301\u0301\u0301',
  'Z\u0351\u0352\u0353algo',
  's\u0306\u0301',
];
const MARKUP = [
  '**',
  '*',
  '_',
  '__',
  '~~',
  '||',
  '`',
  '```',
  '> ',
  '# ',
  '- ',
  '1. ',
  '[x](https://evil.example/p)',
  '\\',
  '<',
  '>',
  '[',
  ']',
  '\n',
  '\n\n',
  '\t',
];
const MENTIONS = ['@everyone', '@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&987654321098765432>', '<#111111111111111111>', '\\@everyone'];
const URLS = [
  'https://example.com/a_b*c~d',
  'http://evil.example/x?y=1&z=2.',
  'https://t.co/abc)',
  '(https://example.org/path)',
  'https://hostile.example/aurus_gift*1',
];
const WORDS = [
  'What',
  'did',
  'Putin',
  'and',
  'Kim',
  'sign',
  'treaty',
  'Aurus',
  'gift',
  'when',
  'who',
  'wrote',
  'Sinbo',
  'Pyongyang',
  'defence',
  'pact',
  'hangar',
  'zeppelin',
  '?',
];

const fragment = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 2, arbitrary: fc.constantFrom(...INVISIBLES) },
  { weight: 2, arbitrary: fc.constantFrom(...DECOMPOSED) },
  { weight: 2, arbitrary: fc.constantFrom(...MARKUP) },
  { weight: 2, arbitrary: fc.constantFrom(...MENTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...URLS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  // Any UTF-16 units at all, lone surrogate halves included.
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** A question or a piece of article text as an attacker, a phone or a paste would write it. */
export const hostileText = fc.oneof(
  { weight: 30, arbitrary: fc.tuple(fc.array(fragment, { maxLength: 14 }), fc.boolean()).map(([parts, spaced]) => parts.join(spaced ? ' ' : '')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '😀', 'e\u0301', '\u202E', '*'), fc.integer({ min: 200, max: 4000 })).map(([s, n]) => s.repeat(n)) },
);

/** An article written to attack the renderer: mentions, markdown and links inside quotable sentences. */
export const HOSTILE_ARTICLE = `# Hostile formatting test about the Putin Kim treaty

June 20, 2024

The treaty between Putin and Kim was discussed by @everyone and @here in the ||Pyongyang|| meeting <@123456789012345678> attended.
Kim told <@&987654321098765432> and <#111111111111111111> that the ||secret|| clause was \`mutual defence\` and __final__.
Putin said [click here](https://evil.example/phish) for the ~~old~~ treaty text > quoted # heading - list item.
`;

/** Invisible controls, emoji, decomposed accents and bare URLs inside sentences people will ask about. */
export const INVISIBLE_ARTICLE = [
  '---',
  `title: ${JSON.stringify(`Zeppelin hangar 🇰🇵 report ${'👨‍👩‍👧‍👦'.repeat(60)}`)}`,
  // A publisher field far past any real name: the article must still be citable.
  `publisher: ${JSON.stringify(`Hangar Gazette ${'😀 Wonsan '.repeat(210)}`)}`,
  'url: https://hostile.example/zeppelin',
  'date: 2024-06-21',
  '---',
  '',
  `The zeppelin hangar at Wonsan was opened by Kim with a red ribbon ${EMOJI.join(' ')} and a brass band, officials said at https://hostile.example/hangar_open*1 on Friday.`,
  '',
  `The hangar's airship, named ${INVISIBLES.join('')}Mirae\u202E, was painted by Choso\u0306n Sinbo artists in Pyo\u0306ngyang, see http://evil.example/x?y=1&z=2.`,
  '',
  `The zeppelin mooring mast ${Array.from({ length: 90 }, (_, i) => `${EMOJI[i % EMOJI.length]}${i % 7 === 0 ? '\u200B' : ''} section ${i}`).join(', ')} was finished last.`,
  '',
].join('\n');

export interface Violation {
  rule: string;
  detail: string;
}

/** Preceded by an odd number of backslashes: Discord shows the character as itself. */
function escapedAt(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Written out here rather than imported from the renderer, so the test does not share the renderer's mistakes.
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\u200D(?!\p{Extended_Pictographic})|(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D/u;
const AUTOLINK = /<https?:\/\/[^\s<>]+>/g;

/** Everything wrong with a message Discord would show: empty list when it is fine. */
export function messageViolations(content: string): Violation[] {
  const out: Violation[] = [];
  const add = (rule: string, at: number) => out.push({ rule, detail: JSON.stringify(content.slice(Math.max(0, at - 30), at + 30)) });
  if (!content.trim()) add('empty', 0);
  if (content.length > 2000) add('over 2000 characters', 2000);
  const lone = LONE_SURROGATE.exec(content);
  if (lone) add('lone surrogate', lone.index);
  const invisible = INVISIBLE.exec(content);
  if (invisible) add(`invisible control U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, invisible.index);

  // Links in <…> are inert (no preview, no markdown inside): blank them out before the other checks.
  const text = content.replace(AUTOLINK, (m) => ' '.repeat(m.length));
  for (const m of text.matchAll(/https?:(\\?)\/\//g)) if (!m[1]) add('bare URL', m.index);
  for (const m of text.matchAll(/<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/g)) if (!escapedAt(text, m.index)) add('live mention', m.index);

  // Markdown the renderer did not mean: an unescaped marker left without its partner.
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length && /[^\p{L}\p{N}\s]/u.test(text[i + 1]!)) i++;
    else plain += text[i];
  }
  const count = (s: string, marker: string) => s.split(marker).length - 1;
  const bold = count(plain, '**');
  const singles = plain.replace(/\*\*/g, '');
  if (bold % 2) add('unbalanced **', plain.indexOf('**'));
  for (const marker of ['*', '_', '~~', '||', '`']) if (count(singles, marker) % 2) add(`unbalanced ${marker}`, singles.indexOf(marker));
  return out;
}
