// Answer quality on the real story (../shared/story: 50 articles plus corpus/, questions as people type them),
// through the real pipeline, index and model (Local/use-static-bert-uncased in CI). The story is a held-out TEST set:
// nothing is tuned on it, and the floors here are loose sanity floors that catch a broken pipeline, not targets.
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import { evaluate, loadEvalSet, type EvalSet, type ModeReport } from '../src/eval/evaluate.js';
import { questionReadings } from '../src/question/analyse.js';
import { CORPUS, ROOT, tempDir, expectVerbatimQuotes, indexedEngine } from './helpers.js';

const STORY = path.resolve(ROOT, '../shared/story');
let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
let set: EvalSet;
let hybrid: ModeReport;

beforeAll(async () => {
  work = await tempDir();
  const corpus = path.join(work.dir, 'corpus');
  for (const [i, folder] of [path.join(STORY, 'articles'), CORPUS].entries()) {
    await mkdir(path.join(corpus, String(i)), { recursive: true });
    for (const entry of await readdir(folder)) await cp(path.join(folder, entry), path.join(corpus, String(i), entry));
  }
  ({ engine } = await indexedEngine(corpus, work.dir));
  set = await loadEvalSet(STORY);
  hybrid = (await evaluate(engine, set, ['hybrid'])).modes[0]!;
}, 180_000);
afterAll(() => work.cleanup());

describe('answer quality on the real story (../shared/story)', () => {
  it('reads the folder set: 50 questions as typed, 12 it must decline', () => {
    expect(set.answerable.length).toBeGreaterThanOrEqual(50);
    expect(set.offTopic.length).toBeGreaterThanOrEqual(12);
  });

  it('clears sanity floors on this held-out set', () => {
    // Sanity floors, set well below what the learned scorer measures (hybrid, Local/use-static-bert-uncased:
    // hit@1 0.66, hit@3 0.78, not covered declined 0.83 (10 of 12), false refusals 0.06 (3 of 50); hit@1 0.64, hit@3
    // 0.76 before unsure answers read on into the next sentence). They catch a broken pipeline; they are not targets,
    // and the story is not for tuning.
    expect(hybrid.hitAt1).toBeGreaterThanOrEqual(0.4);
    expect(hybrid.hitAt3).toBeGreaterThanOrEqual(0.45);
    expect(hybrid.offTopicRefusal).toBeGreaterThanOrEqual(0.5);
    expect(hybrid.falseRefusals).toBeLessThanOrEqual(0.25);
  });

  it('quotes verbatim and cites the article it quotes', async () => {
    const quotes = await expectVerbatimQuotes(
      engine,
      [...set.answerable, ...set.offTopic].map((q) => q.question),
    );
    expect(quotes).toBeGreaterThan(set.answerable.length / 2); // the check above saw real answers
  });

  it('reads chat-speak as meant and says how it read it', async () => {
    const answer = await ask(engine, 'wen did kim go to russia last');
    expect(answer.readAs).toBe('when did kim go to russia last');
    expect((await ask(engine, 'how much ammo did nk send')).readAs).toBe('how much ammunition did North Korea send');
    expect((await ask(engine, 'When did Kim go to Russia last?')).readAs).toBeNull();
  });

  it('reads a sentence of a message alone only when it names at least two things', () => {
    // "how come?" alone has one word to match ("come"), found somewhere at a high chance: 27 of 111 questions of my
    // own typed with it were answered otherwise than plain. It stays part of the whole message.
    const texts = (message: string) => questionReadings(message, 500, engine.index()).toAnswer.map((reading) => reading.text);
    expect(texts('who signed the treaty? how come?')).toEqual(['who signed the treaty? how come?', 'who signed the treaty?']);
    expect(texts('I read about the summit. Who signed the treaty?')).toEqual(['about the summit. Who signed the treaty?', 'Who signed the treaty?']);
  });

  it('reads a message by its question alone when the rest names only what most articles name', () => {
    // Putin, Kim and the treaty are in most of the story's reports: a statement of them says nothing of which answers.
    const texts = (message: string) => questionReadings(message, 500, engine.index()).toAnswer.map((reading) => reading.text);
    expect(texts('what did kim call putin - this is about the putin kim treaty')).toEqual(['what did kim call putin']);
    expect(texts('question about the russia north korea treaty: which airport did putin land at')).toEqual(['which airport did putin land at']);
    // Nor is the question filled from such a statement, as a follow-up is: "this trip" pointed back to it.
    expect(texts('question about the russia north korea treaty: when had Putin last visited before this trip?')).toEqual([
      'when had Putin last visited before this trip?',
    ]);
    // A statement naming what few articles hold may say what is meant: the whole message is still read.
    expect(texts('I read about the Sunan airport. Where did Putin land?')).toEqual(['about the Sunan airport. Where did Putin land?', 'Where did Putin land?']);
  });

  it('answers a question with chat of its own after it as the question alone', async () => {
    // Each second sentence here, read as a question of its own or as part of the whole, had found one word
    // somewhere ("source", "true", "idea") at a higher chance than the question's answer, and that answer was given.
    for (const [plain, message] of [
      ['who signed the treaty?', 'who signed the treaty? any source?'],
      ['who signed the treaty?', 'who signed the treaty? source?'],
      ['who signed the treaty?', 'who signed the treaty? is that true?'],
      ['who signed the treaty?', 'who signed the treaty? what do you think?'],
      ['who signed the treaty', 'who signed the treaty... any idea?'],
      // A statement after a dash is read apart as after a question mark: whole, the story's own names in it had
      // matched a sentence naming them all (0.69) over the answer (0.87).
      ['what did kim call putin', 'what did kim call putin - this is about the putin kim treaty'],
    ] as const) {
      const alone = await ask(engine, plain);
      expect(alone.status, plain).toBe('answered');
      expect((await ask(engine, message)).excerpts[0]?.quote, message).toBe(alone.excerpts[0]?.quote);
    }
  });
});
