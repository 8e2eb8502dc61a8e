// Hostile article files, generated here into a temp folder, against the real parsers in their worker: each is
// parsed, or refused with its reason within its time and memory budget, and the other files of a run go on.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitSentences } from '../src/chunk/sentences.js';
import { BudgetedParser } from '../src/corpus/budget.js';
import { loadCorpus } from '../src/corpus/load.js';
import { SEED_PACT, CORPUS, tempDir } from './helpers.js';
import { deepDivsPage, inflatingPdf, manyLinePdf, textWithoutBlankLine } from './support/hostile-files.js';

let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.cleanup();
});

describe('sentence splitting', () => {
  it('is linear: 3 MB of text with no blank line is split in seconds, into sentences of at most 5,000 characters', () => {
    const text = textWithoutBlankLine(3 * 2 ** 20);
    const started = performance.now();
    const spans = splitSentences(text);
    // Quadratic, this took 218 s; linear, well under a second on a quiet machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(spans.length).toBeGreaterThan(80_000);
    const sentences = new Set(spans.map((s) => text.slice(s.start, s.end)));
    expect(sentences.has('Officials from both sides spoke at length about it.')).toBe(true);
    // "Mr. Kim" stays one sentence.
    expect(sentences.has('Mr. Kim said the pact would last.')).toBe(true);
  });

  it('cuts a run with no sentence end at a space, every piece at most 5,000 characters, nothing lost', () => {
    const text = `${'word '.repeat(20_000)}end`;
    const spans = splitSentences(text);
    expect(spans.length).toBeGreaterThan(20);
    for (const s of spans) expect(s.end - s.start).toBeLessThanOrEqual(5000);
    expect(spans.map((s) => text.slice(s.start, s.end)).join(' ')).toBe(text);
    const solid = 'x'.repeat(12_000);
    expect(splitSentences(solid).map((s) => s.end - s.start)).toEqual([5000, 5000, 2000]);
  });
});

describe('parsing under a budget', () => {
  it('refuses deep-nested markup over its time budget, then parses the next file', async () => {
    const parser = new BudgetedParser({ timeMs: 5000, memoryBytes: 256 * 2 ** 20 });
    try {
      const started = Date.now();
      await expect(parser.parse({ name: 'deep.html', bytes: Buffer.from(deepDivsPage(2000)) })).rejects.toThrow(
        /^took longer than 5 s to read \(the limit, ARTICLE_PARSE_SECONDS=5: raise it if the file is genuine\)$/,
      );
      // 5 s, the worker's start and a busy machine: the file is not left to run its 104 s.
      expect(Date.now() - started).toBeLessThan(30_000);
      const seed = await parser.parse({ name: SEED_PACT, bytes: await readFile(path.join(CORPUS, SEED_PACT)) });
      expect(seed.parsed.meta.title).toMatch(/Putin/);
    } finally {
      await parser.close();
    }
  }, 120_000);

  it('refuses a PDF whose stream inflates past its memory budget (1 GiB from 1 MB), then parses the next file', async () => {
    const parser = new BudgetedParser({ timeMs: 120_000, memoryBytes: 256 * 2 ** 20 });
    try {
      await expect(parser.parse({ name: 'bomb.pdf', bytes: await inflatingPdf(2 ** 30) })).rejects.toThrow(
        /^needed more than 256 MB of memory to read, a compressed stream inflating without end\? \(the limit, ARTICLE_PARSE_MEMORY_MB=256: raise it if the file is genuine\)$/,
      );
      const seed = await parser.parse({ name: SEED_PACT, bytes: await readFile(path.join(CORPUS, SEED_PACT)) });
      expect(seed.parsed.meta.title).toMatch(/Putin/);
      expect(seed.sentences.length).toBeGreaterThan(5);
    } finally {
      await parser.close();
    }
  }, 120_000);

  it('reads a PDF of 160,000 lines (the stack overflowed), and refuses its 8 MB of text as too large while the other files of the run are read', async () => {
    const corpus = path.join(work.dir, 'corpus');
    await mkdir(corpus);
    await writeFile(path.join(corpus, 'a-record.pdf'), manyLinePdf(160_000));
    await writeFile(path.join(corpus, 'b-pact.txt'), await readFile(path.join(CORPUS, SEED_PACT)));
    await writeFile(path.join(corpus, 'c-page.html'), deepDivsPage(50));
    const parser = new BudgetedParser({ timeMs: 60_000, memoryBytes: 512 * 2 ** 20 });
    try {
      const { articles, warnings } = await loadCorpus(corpus, { parser, maxBytes: 6 * 2 ** 20 });
      expect(warnings.find((w) => w.file === 'a-record.pdf')?.reason).toMatch(
        /^too large: its text is 8\.\d MB \(the limit is 6\.0 MB, setting ARTICLE_MAX_MB\)$/,
      );
      expect(articles.map((a) => a.file)).toEqual(['b-pact.txt', 'c-page.html']);
    } finally {
      await parser.close();
    }
  }, 180_000);
});
