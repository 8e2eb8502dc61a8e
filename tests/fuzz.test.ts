// Hostile and odd input through the real answer pipeline and the Discord renderer.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/app.js';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import { renderAnswerForDiscord } from '../src/render/discord.js';
import { buildIndex } from '../src/indexing/build.js';
import { copyCorpus, tempDir, testConfig, testEmbedder } from './helpers.js';

/** An article written to attack the renderer: mentions, markdown and links inside quotable sentences. */
const HOSTILE_ARTICLE = `# Hostile formatting test about the Putin Kim treaty

June 20, 2024

The treaty between Putin and Kim was discussed by @everyone and @here in the ||Pyongyang|| meeting <@123456789012345678> attended.
Kim told <@&987654321098765432> and <#111111111111111111> that the ||secret|| clause was \`mutual defence\` and __final__.
Putin said [click here](https://evil.example/phish) for the ~~old~~ treaty text > quoted # heading - list item.
`;

let engine: AnswerEngine;
let work: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir();
  const corpusDir = await copyCorpus(path.join(work.dir, 'corpus'));
  await writeFile(path.join(corpusDir, 'hostile.md'), HOSTILE_ARTICLE);
  const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(work.dir, 'index') });
  const embedder = await testEmbedder();
  await buildIndex(config, embedder);
  engine = await openEngine(config, embedder);
});
afterAll(() => work.cleanup());

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const PIECES = [
  '', ' ', '\n\n', '😀🔥🇰🇵', 'مرحبا بالعالم', 'שלום', '\u202Eevil\u202C', '\u200b\u200c\u200d\uFEFF', '**bold**', '```js\nalert(1)\n```',
  '@everyone', '@here', '<@123456789012345678>', '<@&987654321098765432>', '<#111111111111111111>', 'https://example.com/x?y=<z>',
  '\u0000\u0007\u001b[31m', '|| spoiler ||', '> quote', '# heading', 'What did Putin and Kim sign?', 'treaty', 'Aurus', '210,000',
  'Kim Il Sung Square', '?', '...', '¿¡', '\t', 'a'.repeat(50), 'ﷺ', '𝕌𝕟𝕚𝕔𝕠𝕕𝕖', 'Ünïcödé', '\\', '"', "'", '`', '~', '_',
];

function hostileQuestion(rand: () => number): string {
  if (rand() < 0.02) return 'x'.repeat(10_000);
  if (rand() < 0.02) return '😀'.repeat(3000);
  const parts = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => PIECES[Math.floor(rand() * PIECES.length)]!);
  return parts.join(rand() < 0.5 ? ' ' : '');
}

/** Mention syntax Discord would turn into a mention (or a ping, were allowedMentions not empty). */
const LIVE_MENTION = /(?<!\\)<(@[!&]?|#)\d+>|(?<!\u200b)@(everyone|here)/;

describe('fuzzing the answer pipeline and the Discord renderer', () => {
  it('survives thousands of hostile questions: no exception, within limits, no live mention, quotes exact', async () => {
    const rand = random(42);
    const index = engine.index();
    let answered = 0;
    for (let i = 0; i < 2500; i++) {
      const question = hostileQuestion(rand);
      const answer = await ask(engine, question);
      expect(Array.from(answer.question).length).toBeLessThanOrEqual(500);
      const content = renderAnswerForDiscord(answer);
      expect(content.length).toBeGreaterThan(0);
      expect(content.length).toBeLessThanOrEqual(2000);
      expect(content).not.toMatch(LIVE_MENTION);
      for (const excerpt of answer.excerpts) {
        const source = answer.sources.find((s) => s.n === excerpt.source)!;
        expect(index.articles.find((a) => a.file === source.file)!.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
      }
      if (answer.answered) answered++;
    }
    expect(answered).toBeGreaterThan(100);
  });

  it('quotes a hostile article verbatim in the answer object but renders it inert on Discord', async () => {
    const answer = await ask(engine, 'Who discussed the treaty between Putin and Kim at the Pyongyang meeting?');
    const hostile = answer.excerpts.find((e) => e.quote.includes('@everyone'));
    expect(hostile, 'the hostile sentence should be quoted').toBeDefined();
    const content = renderAnswerForDiscord(answer);
    expect(content).not.toMatch(LIVE_MENTION);
    expect(content).toContain('\\<@123456789012345678>');
    expect(content).toContain("\\|\\|Pyongyang\\|\\|");
  });
});
