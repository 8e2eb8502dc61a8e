// ANSWER_MODEL: a cross-encoder re-orders the built-in scorer's best sentences. Only the code path is tested here: the
// model is tests/fixtures/models/Test/cross-encoder-random, a real cross-encoder architecture with random weights, whose
// scores mean nothing. Nothing here measures whether a real cross-encoder answers better.
import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserFacingError, openEngine } from '../src/app.js';
import { type AnswerEngine, ask } from '../src/answer/ask.js';
import { RERANK_TOP, type Reranker, RerankerModelError } from '../src/answer/reranker.js';
import type { Answer } from '../src/answer/types.js';
import type { CoreConfig } from '../src/config.js';
import { type Embedder, loadEmbedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/indexing/build.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig } from './helpers.js';

const CROSS_ENCODER = 'Test/cross-encoder-random';
const run = promisify(execFile);

/** Answered and declined ones: the decline must not move. */
const QUESTIONS = [
  'What did Putin and Kim sign?',
  'What gift did Putin give Kim?',
  'Where did the two leaders meet?',
  'What is the boiling point of mercury?',
  'Who won the 1998 football World Cup?',
];

let work: { dir: string; cleanup: () => Promise<void> };
let settings: Record<string, string>;
let config: CoreConfig;
let embedder: Embedder;
let plain: AnswerEngine;
let reranked: AnswerEngine;

beforeAll(async () => {
  work = await tempDir();
  // One MODEL_DIR holding both models, as a user running offline would have it: the test embedding model and the
  // random-weight cross-encoder fixture, linked in.
  const modelDir = path.join(work.dir, 'models');
  for (const [id, from] of [
    [TEST_ENV.EMBEDDING_MODEL, path.resolve(TEST_ENV.MODEL_DIR, TEST_ENV.EMBEDDING_MODEL)],
    [CROSS_ENCODER, path.join(ROOT, 'tests/fixtures/models', CROSS_ENCODER)],
  ] as const) {
    await mkdir(path.dirname(path.join(modelDir, id)), { recursive: true });
    await symlink(from, path.join(modelDir, id), 'dir');
  }
  settings = { MODEL_DIR: modelDir, CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') };
  config = testConfig(settings);
  embedder = await loadEmbedder(config.embedding);
  await buildIndex(config, embedder);
  plain = await openEngine(config, embedder);
  reranked = await openEngine(testConfig({ ...settings, ANSWER_MODEL: CROSS_ENCODER }), embedder);
});
afterAll(() => work?.cleanup());

interface Call {
  question: string;
  sentences: string[];
  scores: number[];
}

/** The engine with its reranker's calls recorded. */
function recording(engine: AnswerEngine, reranker: Reranker): { engine: AnswerEngine; calls: Call[] } {
  const calls: Call[] = [];
  const spy: Reranker = {
    model: reranker.model,
    async score(question, sentences) {
      const scores = await reranker.score(question, sentences);
      calls.push({ question, sentences, scores });
      return scores;
    },
  };
  return { engine: { ...engine, reranker: spy }, calls };
}

/** Scores every pair alike: the built-in order stays, and the call shows which sentences the built-in scorer ranked first. */
const IDENTITY: Reranker = { model: 'identity', score: async (_question, sentences) => sentences.map(() => 0) };

function expectExactQuotes(engine: AnswerEngine, answer: Answer): void {
  const index = engine.index();
  for (const excerpt of answer.excerpts) {
    const source = answer.sources.find((s) => s.n === excerpt.source)!;
    expect(index.articles.find((a) => a.file === source.file)!.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
  }
}

const withoutTimings = ({ timings: _, ...answer }: Answer) => answer;

describe('ANSWER_MODEL: a cross-encoder re-orders the best sentences', () => {
  it('is off unless set, and loads the named model from MODEL_DIR when set', () => {
    expect(config.answer.rerankModel).toBeNull();
    expect(plain.reranker).toBeUndefined();
    expect(reranked.reranker?.model).toBe(CROSS_ENCODER);
  });

  it('scores each (question, sentence) pair: one finite number per pair, in batches', async () => {
    const sentences = Array.from({ length: 37 }, (_, i) => `Sentence number ${i} says ${'something '.repeat(i % 7)}about the pact.`);
    const scores = await reranked.reranker!.score('What did Putin and Kim sign?', sentences);
    expect(scores).toHaveLength(sentences.length);
    for (const score of scores) expect(Number.isFinite(score)).toBe(true);
    // Random weights, but a real forward pass: different pairs get different scores.
    expect(new Set(scores).size).toBeGreaterThan(1);
    // A long sentence is truncated to what the model takes, not refused.
    expect(await reranked.reranker!.score('Why?', ['word '.repeat(2000)])).toHaveLength(1);
  });

  it("re-orders the built-in top sentences by the cross-encoder's score and keeps the built-in decline and confidence", async () => {
    let answered = 0;
    let declined = 0;
    for (const question of QUESTIONS) {
      const before = await ask(plain, question);
      expect(before.timings.rerankMs).toBeUndefined();

      // A reranker that scores every pair alike changes nothing, and shows the built-in top sentences.
      const identity = recording(plain, IDENTITY);
      expect(withoutTimings(await ask(identity.engine, question)), question).toEqual(withoutTimings(before));
      const builtInTop = identity.calls[0]?.sentences ?? [];
      expect(builtInTop.length).toBeLessThanOrEqual(RERANK_TOP);

      const spied = recording(reranked, reranked.reranker!);
      const after = await ask(spied.engine, question);
      // Declined exactly when the built-in scorer declines, with its calibrated confidence.
      expect({ answered: after.answered, status: after.status, confidence: after.confidence }, question).toEqual({
        answered: before.answered,
        status: before.status,
        confidence: before.confidence,
      });
      expectExactQuotes(reranked, after);
      if (before.answered) answered++;
      else declined++;

      // The cross-encoder was asked about the built-in top sentences, once, and scored each.
      expect(spied.calls.length, question).toBe(identity.calls.length);
      if (!spied.calls.length) continue;
      const [call] = spied.calls as [Call];
      expect(call.sentences).toEqual(builtInTop);
      expect(call.scores).toHaveLength(call.sentences.length);
      for (const score of call.scores) expect(Number.isFinite(score)).toBe(true);
      expect(after.timings.rerankMs).toBeGreaterThanOrEqual(0);
      if (!after.answered) continue;
      // The first quote holds the built-in top-10 sentence the cross-encoder scored highest.
      const best = call.sentences[call.scores.indexOf(Math.max(...call.scores))]!;
      expect(builtInTop).toContain(best);
      expect(after.excerpts[0]!.quote, question).toContain(best);
    }
    expect(answered).toBeGreaterThan(0);
    expect(declined).toBeGreaterThan(0);
  });

  it('a model that cannot be loaded is a clear error naming ANSWER_MODEL, not a stack trace', async () => {
    const missing = await openEngine(testConfig({ ...settings, ANSWER_MODEL: 'Test/no-such-cross-encoder' }), embedder).catch((e) => e);
    expect(missing).toBeInstanceOf(RerankerModelError);
    expect(isUserFacingError(missing)).toBe(true);
    expect(missing.message).toContain(
      `Could not load the answer model (ANSWER_MODEL) "Test/no-such-cross-encoder" in the local model folder ${path.join(settings.MODEL_DIR!, 'Test/no-such-cross-encoder')} (no such folder).`,
    );
    expect(missing.message).toContain('MODEL_DIR');

    // An embedding model loads, but returns no relevance logits: refused at start-up, not at the first question.
    const notCrossEncoder = await openEngine(testConfig({ ...settings, ANSWER_MODEL: TEST_ENV.EMBEDDING_MODEL }), embedder).catch((e) => e);
    expect(notCrossEncoder).toBeInstanceOf(RerankerModelError);
    expect(notCrossEncoder.message).toMatch(/ANSWER_MODEL ".*" (is not a cross-encoder|loaded but could not score)/);

    // The command line prints the message alone and exits 1.
    const env = { ...process.env, ...TEST_ENV, ...settings, ANSWER_MODEL: 'Test/no-such-cross-encoder' };
    const failure = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/ask.ts', 'What did Putin and Kim sign?'], { cwd: ROOT, env }).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('Error: Could not load the answer model (ANSWER_MODEL) "Test/no-such-cross-encoder"');
    expect(failure.stderr).not.toMatch(/\n\s+at /);
  });
});
