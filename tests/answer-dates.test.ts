// What stands over a news report, as the answer scorer sees it: when it ran and who put it out — a question asked of a
// time ("what did the ministry say in november") or of an outlet is met by the reports of that time or outlet — and
// the days news counts in: a "when" question is answered by "on Thursday". A real index of articles written for this
// test (front matter with dates and publishers), the real model.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, gatherCandidates, type AnswerEngine } from '../src/answer/ask.js';
import { candidateFeatures, FEATURES } from '../src/answer/features.js';
import { scoreSentences, sentenceText } from '../src/answer/quotes.js';
import { answerScorer } from '../src/answer/scorer.js';
import { askedDays } from '../src/answer/asked-days.js';
import { analyseQuestion } from '../src/question/analyse.js';
import { tempDir, indexedEngine } from './helpers.js';

const ARTICLES: Record<string, { date: string; publisher: string; title: string; body: string }> = {
  'june.md': {
    date: '2024-06-14',
    publisher: 'Harbour Gazette',
    title: 'Harbour city opens talks on the river bridge',
    body: [
      'The harbour city and its northern neighbour opened talks on a new river bridge this week.',
      'A spokesperson for the regional transport ministry said the bridge was a matter for the two cities alone.',
      'Engineers expect the crossing to carry forty thousand vehicles a day once it opens.',
      'The city council says it will publish the full text of the bridge agreement so that residents can read every clause.',
    ].join(' '),
  },
  'november.md': {
    date: '2024-11-08',
    publisher: 'Valley Courier (via Harbour Wire)',
    title: 'River bridge talks stall over tolls',
    body: [
      'Talks between the two cities on the river bridge stalled over how tolls would be shared.',
      'A spokesperson for the regional transport ministry said the toll plan had been sent back to the councils for review.',
      'The city council published the full text of the bridge agreement on Thursday, after weeks of delay.',
      'The agreement runs to forty pages and sets out who maintains each span of the crossing.',
    ].join(' '),
  },
};

let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
beforeAll(async () => {
  work = await tempDir();
  const corpus = path.join(work.dir, 'corpus');
  await mkdir(corpus);
  for (const [name, { date, publisher, title, body }] of Object.entries(ARTICLES)) {
    await writeFile(path.join(corpus, name), `---\ntitle: "${title}"\npublisher: ${publisher}\ndate: ${date}\n---\n\n${body}\n`);
  }
  ({ engine } = await indexedEngine(corpus, work.dir));
});
afterAll(() => work.cleanup());

describe('when the article ran, and the days news counts in', () => {
  it('answers a question asked of a month from the article that ran then', async () => {
    const november = await ask(engine, 'what did the transport ministry spokesperson say in november');
    expect(november.answered).toBe(true);
    expect(november.excerpts[0]!.quote).toContain('sent back to the councils for review');
    const june = await ask(engine, 'what did the transport ministry spokesperson say in june');
    expect(june.answered).toBe(true);
    expect(june.excerpts[0]!.quote).toContain('a matter for the two cities alone');
  });

  it("answers a question that names the outlet from that outlet's report", async () => {
    const gazette = await ask(engine, 'what did the transport ministry spokesperson tell the harbour gazette');
    expect(gazette.excerpts[0]!.quote).toContain('a matter for the two cities alone');
    expect(gazette.sources[0]!.publisher).toBe('Harbour Gazette');
    const courier = await ask(engine, 'what did the transport ministry spokesperson tell the valley courier');
    expect(courier.excerpts[0]!.quote).toContain('sent back to the councils for review');
    expect(courier.sources[0]!.publisher).toBe('Valley Courier (via Harbour Wire)');
  });

  it("counts an outlet's name only when the question holds all of it", async () => {
    const coverageOf = async (question: string) => {
      const { featuresOf } = await scored(question);
      const cov = FEATURES.indexOf('cov');
      return { june: featuresOf('a matter for the two cities alone')[cov], november: featuresOf('sent back to the councils for review')[cov] };
    };
    const whole = await coverageOf('what did the transport ministry spokesperson tell the valley courier');
    expect(whole.november).toBeGreaterThan(whole.june!);
    // "courier" alone is a word of the name, not the outlet: both reports' sentences are met alike.
    const part = await coverageOf('what did the transport ministry spokesperson tell the courier');
    expect(part.november).toBe(part.june);
  });

  it('takes a weekday for a time a "when" question asks for: the answer-type match, and the first look ranks by it', async () => {
    const { featuresOf, firstLook } = await scored('when did the council publish the agreement');
    const typeMatch = FEATURES.indexOf('type_match');
    expect(featuresOf('on Thursday')[typeMatch]).toBe(1);
    expect(featuresOf('will publish the full text')[typeMatch]).toBe(0);
    expect(firstLook[0]).toContain('on Thursday');
  });

  it('meets a day the question names with the weekday a report dates it by ("on Thursday" in a report of Friday 8 November)', async () => {
    const cov = FEATURES.indexOf('cov');
    for (const question of ['what did the council publish on November 7', 'what did the council publish on the 7th of november']) {
      const { featuresOf, firstLook } = await scored(question);
      expect(featuresOf('on Thursday')[cov], question).toBe(1);
      expect(firstLook[0], question).toContain('on Thursday');
      const answer = await ask(engine, question);
      expect(answer.answered, question).toBe(true);
      expect(answer.excerpts[0]!.quote).toContain('published the full text of the bridge agreement on Thursday');
    }
    // Another day: the weekday does not meet it.
    expect((await scored('what did the council publish on November 5')).featuresOf('on Thursday')[cov]).toBeLessThan(1);
    expect(askedDays('on June 19, on 7th of Nov. and 3 may')).toEqual([
      { month: 6, day: 19, terms: ['june', '19'] },
      { month: 11, day: 7, terms: ['7th', 'nov'] },
      { month: 5, day: 3, terms: ['3', 'mai'] },
    ]);
  });
});

/** The question's candidate sentences as the scorer sees them: each one's features (found by words it holds), and the first look's order. */
async function scored(question: string) {
  const index = engine.index();
  const reading = analyseQuestion(question, engine.config.maxQuestionChars, index);
  const { candidates, queryVector, ranks } = await gatherCandidates(engine, reading, 'hybrid');
  const rows = candidateFeatures(index, candidates, reading, queryVector, ranks);
  return {
    featuresOf: (words: string) => rows.find((r) => sentenceText(index, r).includes(words))!.features,
    firstLook: scoreSentences(index, candidates, reading, queryVector, ranks, answerScorer()).map((s) => sentenceText(index, s)),
  };
}
