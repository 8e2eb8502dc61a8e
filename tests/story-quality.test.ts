// Answer quality on the real story (../shared/story: 50 articles plus corpus/, questions as people type them),
// through the real pipeline, index and model (Local/use-static-bert-uncased in CI). Floors are today's level:
// raise them as the method improves, never lower them to pass. The README has the table for all three models.
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/app.js';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import { evaluate, loadEvalSet, type EvalSet, type ModeReport } from '../src/eval/evaluate.js';
import { buildIndex } from '../src/indexing/build.js';
import { loadIndex } from '../src/store/files.js';
import { CORPUS, ROOT, tempDir, testConfig, testEmbedder } from './helpers.js';

const STORY = path.resolve(ROOT, '../shared/story');
let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
let set: EvalSet;
let hybrid: ModeReport;
let modes: ModeReport[];
let indexDir: string;

beforeAll(async () => {
  work = await tempDir();
  const corpus = path.join(work.dir, 'corpus');
  for (const [i, folder] of [path.join(STORY, 'articles'), CORPUS].entries()) {
    await mkdir(path.join(corpus, String(i)), { recursive: true });
    for (const entry of await readdir(folder)) await cp(path.join(folder, entry), path.join(corpus, String(i), entry));
  }
  indexDir = path.join(work.dir, 'index');
  const config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: indexDir });
  const embedder = await testEmbedder();
  await buildIndex(config, embedder);
  engine = await openEngine(config, embedder);
  set = await loadEvalSet(STORY);
  modes = (await evaluate(engine, set, ['dense', 'lexical', 'hybrid'])).modes;
  hybrid = modes.find((m) => m.mode === 'hybrid')!;
}, 180_000);
afterAll(() => work.cleanup());

describe('answer quality on the real story (../shared/story)', () => {
  it('reads the folder set: 50 questions as typed, 12 it must decline', () => {
    expect(set.answerable.length).toBeGreaterThanOrEqual(50);
    expect(set.offTopic.length).toBeGreaterThanOrEqual(12);
  });

  it('meets the floors reached today', () => {
    // Measured: hit@1 0.76, hit@3 0.90, not covered declined 1.00, false refusals 0.00 (when the issue was filed: 0.50, 0.70, 0.50, 0.06).
    expect(hybrid.hitAt1).toBeGreaterThanOrEqual(0.76);
    expect(hybrid.hitAt3).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.offTopicRefusal).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.falseRefusals).toBeLessThanOrEqual(0.04);
  });

  it('ranks better with both retrievers than with either alone', () => {
    const [dense, lexical] = ['dense', 'lexical'].map((m) => modes.find((r) => r.mode === m)!);
    // Measured: MRR dense 0.523, lexical 0.800, hybrid 0.820.
    expect(hybrid.mrr).toBeGreaterThan(Math.max(dense!.mrr, lexical!.mrr));
  });

  it('stores the refusal floor it derived for this model in the manifest', async () => {
    const floor = (await loadIndex(indexDir)).manifest.answerFloor!;
    expect(floor.value).toBeGreaterThan(0.15);
    expect(floor.value).toBeLessThan(floor.corpus); // the corpus's own questions stay above it
    expect(floor.questions.offSubject).toBeGreaterThan(20);
  });

  it('quotes verbatim, cites what it quotes, and declines in-story traps whatever words they share with the articles', async () => {
    const index = engine.index();
    for (const { question } of [...set.answerable, ...set.offTopic]) {
      const answer = await ask(engine, question);
      for (const excerpt of answer.excerpts) {
        const source = answer.sources.find((s) => s.n === excerpt.source)!;
        const article = index.articles.find((a) => a.file === source.file)!;
        expect(article.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
      }
    }
    for (const trap of ['how tall is kim jong un', 'how many north korean soldiers died in kursk', 'what colour was the aurus kim got', 'how old is putin']) {
      expect((await ask(engine, trap)).status).toBe('not-covered');
    }
  });

  it('reads chat-speak as meant and says how it read it', async () => {
    const answer = await ask(engine, 'wen did kim go to russia last');
    expect(answer.readAs).toBe('when did kim go to russia last');
    expect((await ask(engine, 'how much ammo did nk send')).readAs).toBe('how much ammunition did North Korea send');
    expect((await ask(engine, 'When did Kim go to Russia last?')).readAs).toBeNull();
  });
});
