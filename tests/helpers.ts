// Shared test set-up: the real local model from ../shared/models and temp folders for real indexes.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreConfig, loadDiscordConfig, type CoreConfig, type DiscordConfig } from '../src/config.js';
import { loadEmbedder, type Embedder } from '../src/embed/embedder.js';
import { expect } from 'vitest';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import { openEngine } from '../src/app.js';
import { buildIndex } from '../src/indexing/build.js';
import { evaluate, loadQaSet, type EvalSet, type ModeReport } from '../src/eval/evaluate.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = path.join(ROOT, 'corpus');
export const SEED_PACT = '2024-06-19-putin-and-kim-sign-defence-pact.txt';
export const SEED_MOSCOW_TIMES = '2024-06-19-themoscowtimes-russia-north-korea-sign-mutual-defense-deal.md';

/** The test model unless the environment names another (CI sets both explicitly). */
export const TEST_ENV = {
  MODEL_DIR: process.env.MODEL_DIR || path.resolve(ROOT, '../shared/models'),
  EMBEDDING_MODEL: process.env.EMBEDDING_MODEL || 'Local/use-static-bert-uncased',
};

/** Where it writes, unless a test says otherwise: this test file's temporary folder (tests/setup/test-env.ts), never .data/. */
export function testConfig(overrides: Record<string, string> = {}): CoreConfig {
  return loadCoreConfig({ ...TEST_ENV, INDEX_DIR: process.env.INDEX_DIR, MODEL_CACHE_DIR: process.env.MODEL_CACHE_DIR, ...overrides });
}

/** The bot's settings as given, its feedback database in this test file's temporary folder unless a test names one. */
export function testDiscordConfig(env: Record<string, string>): DiscordConfig {
  return loadDiscordConfig({ FEEDBACK_DB: process.env.FEEDBACK_DB, ...env });
}

let shared: Promise<Embedder> | null = null;
/** One model per test file: loading is the slow part. */
export function testEmbedder(): Promise<Embedder> {
  shared ??= loadEmbedder(testConfig().embedding);
  return shared;
}

export async function tempDir(prefix = 'story-desk-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A real index of `corpusDir` built in `workDir`/index with the test model, and the engine over it. */
export async function indexedEngine(corpusDir: string, workDir: string): Promise<{ config: CoreConfig; embedder: Embedder; engine: AnswerEngine }> {
  const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(workDir, 'index') });
  const embedder = await testEmbedder();
  await buildIndex(config, embedder);
  return { config, embedder, engine: await openEngine(config, embedder) };
}

/** A copy of the real corpus that a test may change. */
export async function copyCorpus(to: string): Promise<string> {
  await cp(CORPUS, to, { recursive: true });
  return to;
}

/**
 * Asks every question and checks that each quote is the exact text of the article it cites at its offsets.
 * Returns how many quotes were checked, so a caller can tell the check saw real answers.
 */
export async function expectVerbatimQuotes(engine: AnswerEngine, questions: string[]): Promise<number> {
  const index = engine.index();
  let quotes = 0;
  for (const question of questions) {
    const answer = await ask(engine, question);
    for (const excerpt of answer.excerpts) {
      const source = answer.sources.find((s) => s.n === excerpt.source)!;
      const article = index.articles.find((a) => a.file === source.file)!;
      expect(article.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
      quotes++;
    }
  }
  return quotes;
}

/** A public QA file (SQuAD-shaped or WikiQA) asked through the real pipeline: its articles one corpus in a temp folder. */
export async function askedQaSet(
  file: string,
  limit?: number,
): Promise<{ work: { dir: string; cleanup: () => Promise<void> }; corpusDir: string; set: EvalSet; engine: AnswerEngine; hybrid: ModeReport }> {
  const work = await tempDir();
  const corpusDir = path.join(work.dir, 'corpus');
  const set = await loadQaSet(file, corpusDir, limit);
  const { engine } = await indexedEngine(corpusDir, work.dir);
  const hybrid = (await evaluate(engine, set, ['hybrid'])).modes[0]!;
  return { work, corpusDir, set, engine, hybrid };
}

/** Every quote of every answer to the set's questions is the text it cites, and the check saw real answers. */
export async function expectSetQuotedVerbatim(engine: AnswerEngine, set: EvalSet): Promise<void> {
  const quotes = await expectVerbatimQuotes(
    engine,
    [...set.answerable, ...set.offTopic].map((q) => q.question),
  );
  expect(quotes).toBeGreaterThan(set.answerable.length / 2);
}
