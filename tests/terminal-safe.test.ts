// Text from outside never drives the terminal: escape sequences (clear screen, OSC 8 links, OSC 52 clipboard
// writes), control characters and bidi overrides are stripped from a fetched page's title and text, and from a
// reader's question, in what `npm run add`, `npm run ask` and `npm run report` print.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../src/answer/types.js';
import { loadFeedbackConfig } from '../src/config.js';
import { FeedbackStore } from '../src/feedback/store.js';
import { terminalSafe, terminalSafeJson } from '../src/render/terminal-safe.js';
import { ROOT, TEST_ENV, tempDir } from './helpers.js';
import { send, servePages } from './serve-pages.js';

const run = promisify(execFile);
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');

const ESC = '\x1b';
const CLEAR = `${ESC}[2J${ESC}[H`;
const LINK = (url: string, text: string) => `${ESC}]8;;${url}${ESC}\\${text}${ESC}]8;;${ESC}\\`;
const CLIPBOARD = `${ESC}]52;c;ZWNobyBwd25lZCA+IH4vLmJhc2hyYw==\x07`;
/** Any character a terminal acts on rather than shows: C0 but tab and newline, DEL, C1, bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a terminal acts on are what is asserted absent
const ACTS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it.each([
    ['clear screen and cursor home', `a${CLEAR}b`, 'ab'],
    ['colours', `${ESC}[1;31mred${ESC}[0m`, 'red'],
    ['an OSC 8 link keeps its text, loses its target', `see ${LINK('https://evil.example/', 'here')}.`, 'see here.'],
    ['an OSC 8 link ended by BEL', `${ESC}]8;;https://evil.example/\x07here${ESC}]8;;\x07`, 'here'],
    ['an OSC 52 clipboard write', `title${CLIPBOARD}`, 'title'],
    ['a window title (OSC 0)', `${ESC}]0;pwned${ESC}\\x`, 'x'],
    ['a DCS string', `${ESC}P1$r0m${ESC}\\x`, 'x'],
    ['C1 CSI and C1 OSC', '\x9b2J\x9d52;c;AAAA\x9cx', 'x'],
    ['an unterminated OSC: the introducer goes, the payload is only text', `${ESC}]52;c;AAAA`, '52;c;AAAA'],
    ['a terminal reset (ESC c) and a charset switch (ESC ( 0)', `${ESC}ca${ESC}(0b`, 'ab'],
    ['backspace, bell, a lone CR that would overwrite the line', 'safe\rEVIL\b\x07!', 'safeEVIL!'],
    ['CRLF reads as a newline; tab and newline stay', 'a\r\nb\tc\n', 'a\nb\tc\n'],
    ['bidi overrides and isolates go, a right-to-left mark stays', 'abc\u202edcba\u2066x\u2069 \u200f', 'abcdcbax \u200f'],
    ['ordinary text is left as it is', 'Port Alder — “Deal” signed, Élan 🙂 [1]', 'Port Alder — “Deal” signed, Élan 🙂 [1]'],
  ])('%s', (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it('leaves nothing a terminal acts on, whatever the input; changes nothing twice; keeps text without controls', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(ESC, '\x9b', '\x9d', '\x07', '\\', '[', ']', 'P', '52;c;', '8;;', '\r', '\n', '\u202e', 'm', 'J'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const out = terminalSafe(pieces.join(''));
        expect(out).not.toMatch(ACTS);
        expect(terminalSafe(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!ACTS.test(text) && !text.includes('\r'));
        expect(terminalSafe(text)).toBe(text);
      }),
    );
  });

  it('reads a megabyte of unterminated sequences in one pass (no backtracking blow-up)', () => {
    const hostile = `${ESC}]`.repeat(200_000) + '\x9d'.repeat(200_000) + `${ESC}[`.repeat(200_000);
    expect(terminalSafe(hostile)).not.toMatch(ACTS);
  });

  it('JSON for a terminal escapes what JSON.stringify writes raw and still parses to the same data', () => {
    const value = { q: `a\x9b2Jb\u202ec${ESC}[0m`, n: [1, 'é'] };
    const json = terminalSafeJson(value, 2);
    expect(json).not.toMatch(ACTS);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('the terminal commands', () => {
  let work: { dir: string; cleanup: () => Promise<void> };
  let site: Awaited<ReturnType<typeof servePages>>;
  const env = () => ({ ...process.env, ...TEST_ENV, MODEL_DIR: path.resolve(TEST_ENV.MODEL_DIR), ADD_ALLOW_PRIVATE_URLS: 'true' });

  beforeAll(async () => {
    work = await tempDir();
    // The fixture page with escape sequences in its headline, publisher and article text.
    const page = (await readFile(path.join(ROOT, 'tests/fixtures/formats/news-page.html'), 'utf8'))
      .replace(
        '"headline":"Port Alder and Bremmin sign a harbour deal &amp; a ferry pact"',
        `"headline":${JSON.stringify(`Port Alder${CLEAR} and Bremmin sign ${LINK('https://evil.example/', 'a harbour deal')}${CLIPBOARD}`)}`,
      )
      .replace('"name":"The Coastal Ledger"}}', `"name":${JSON.stringify(`The Coastal\x9b2J Ledger\u202e`)}}}`)
      .replace('six deep-water berths', `six deep-water${CLIPBOARD} berths${ESC}c`);
    site = await servePages({ '/escapes': send('text/html; charset=utf-8', page) });
  });
  afterAll(async () => {
    await site?.close();
    await work?.cleanup();
  });

  it('npm run add prints a page title with escape sequences as plain text; npm run ask shows its quotes and the question plain', async () => {
    const places = ['--corpus', path.join(work.dir, 'corpus'), '--index', path.join(work.dir, 'index')];
    const added = await run(tsx, ['scripts/add.ts', ...places, `${site.origin}/escapes`], { cwd: ROOT, env: env() });
    expect(added.stdout).toMatch(/^Added: “Port Alder and Bremmin sign a harbour deal” — The Coastal Ledger, 2025-03-04 \(\d+ chunks?\) as added\//m);
    expect(added.stdout + added.stderr).not.toMatch(ACTS);

    const question = 'What will Bremmin lease to the Port Alder fleet?';
    const withSequences = `${question}${CLEAR}${LINK('https://evil.example/', '')}`;
    const asked = await run(tsx, ['scripts/ask.ts', ...places, withSequences], { cwd: ROOT, env: env() });
    // The question is tidied before it is answered (its ESC read as a space): what is left of the sequences is plain text.
    // (What is left, "[2J [H ]8;;https://evil.example/", is words the article never uses: the answer may be declined.)
    expect(asked.stdout).toMatch(/^Q: What will Bremmin lease to the Port Alder fleet\?/);
    expect(asked.stdout).not.toMatch(ACTS);
    // The quote carries the article's own escape sequences: shown as plain text.
    const answered = await run(tsx, ['scripts/ask.ts', ...places, question], { cwd: ROOT, env: env() });
    expect(answered.stdout).toMatch(/six deep-water berths/);
    expect(answered.stdout).not.toMatch(ACTS);
    const json = await run(tsx, ['scripts/ask.ts', ...places, '--json', withSequences], { cwd: ROOT, env: env() });
    expect(json.stdout.trim()).not.toMatch(ACTS);
    expect(JSON.parse(json.stdout)).toMatchObject({ question: expect.stringMatching(/^What will Bremmin lease/) });
  }, 120_000);

  it('npm run report prints stored questions with escape sequences as plain text', async () => {
    const file = path.join(work.dir, 'feedback.sqlite');
    const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
    const declined = { answered: false, status: 'not-covered', message: "The articles don't say.", excerpts: [], sources: [], suggestions: [] };
    const answer = { ...declined, confidence: 0.1, timings: { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 } } as unknown as Answer;
    store.recordQuestion({ userId: 'u1', via: 'dm', question: `How do I bake bread?${CLEAR}${CLIPBOARD}\x9b31m\u202e`, answer });
    store.close();
    for (const args of [[], ['--json']]) {
      const { stdout } = await run(tsx, ['scripts/report.ts', ...args], { cwd: ROOT, env: { ...env(), FEEDBACK_DB: file } });
      expect(stdout).toContain('How do I bake bread?');
      expect(stdout).not.toMatch(ACTS);
    }
  }, 60_000);
});
