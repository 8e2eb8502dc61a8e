// A held-out public benchmark: SQuAD 2.0 dev (../shared/qa/squad2-dev, never trained or tuned on), its 35 Wikipedia
// articles as one corpus written to a temporary folder, 300 of its questions spread evenly over the set (about half
// unanswerable: written to look answerable from the same paragraph). Real pipeline, index and test model.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../src/answer/ask.js';
import type { EvalSet, ModeReport } from '../src/eval/evaluate.js';
import { askedQaSet, expectSetQuotedVerbatim, ROOT } from './helpers.js';

const SQUAD_DEV = path.resolve(ROOT, '../shared/qa/squad2-dev/dev-v2.0.explorer.json.gz');
const QUESTIONS = 300;

let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
let set: EvalSet;
let hybrid: ModeReport;
let corpusDir: string;

beforeAll(async () => {
  ({ work, corpusDir, set, engine, hybrid } = await askedQaSet(SQUAD_DEV, QUESTIONS));
}, 120_000);
afterAll(() => work.cleanup());

describe('answers on held-out SQuAD 2.0 dev questions', () => {
  it('reads the set: every article as one file, an even spread of answerable and unanswerable questions', async () => {
    expect((await readdir(corpusDir)).filter((f) => f.endsWith('.md'))).toHaveLength(35);
    expect(set.answerable.length + set.offTopic.length).toBe(QUESTIONS);
    expect(set.answerable.length).toBeGreaterThan(QUESTIONS / 3);
    expect(set.offTopic.length).toBeGreaterThan(QUESTIONS / 3);
  });

  it('clears sanity floors', () => {
    // Measured (hybrid, Local/use-static-bert-uncased, these 300 questions): hit@1 0.81, hit@3 0.83, unanswerable
    // declined 0.16, false refusals 0.08 (0.18 declined before negations were added only to as many training
    // questions as hold one; before negation features and rewritten training questions: 0.785 / 0.799 / 0.093 / 0.067). The unanswerable questions are adversarial (a year, a name or a negation
    // changed), so few are declined by any sentence scorer. Floors well below these, to catch a broken pipeline on
    // data nothing was tuned on; not targets.
    expect(hybrid.hitAt1).toBeGreaterThanOrEqual(0.6);
    expect(hybrid.offTopicRefusal).toBeGreaterThanOrEqual(0.08);
    expect(hybrid.falseRefusals).toBeLessThanOrEqual(0.2);
  });

  it('quotes every answer verbatim from the article it cites', () => expectSetQuotedVerbatim(engine, set));
});
