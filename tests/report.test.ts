// `npm run report`: declined questions grouped by similarity with the bot's own model, not-helpful answers,
// counts per day and per way of asking; read from a real feedback database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Answer } from '../src/answer/types.js';
import { loadFeedbackConfig } from '../src/config.js';
import { renderReportDiscord } from '../src/feedback/render-report.js';
import { buildReport, type Report } from '../src/feedback/report.js';
import { FeedbackStore } from '../src/feedback/store.js';
import { ROOT, TEST_ENV, tempDir, testEmbedder } from './helpers.js';

const run = promisify(execFile);
let work: { dir: string; cleanup: () => Promise<void> };
let file: string;

const timings = { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 };
const declined = {
  answered: false,
  status: 'not-covered',
  message: "The articles don't say.",
  excerpts: [],
  sources: [],
  confidence: 0.2,
  suggestions: [],
  timings,
} as unknown as Answer;
const answered = {
  answered: true,
  status: 'answered',
  message: null,
  confidence: 0.7,
  suggestions: [],
  timings,
  excerpts: [{ quote: 'Putin gave Kim an Aurus limousine.', source: 1, score: 0.7, start: 0, end: 10, trimmedStart: false, trimmedEnd: false }],
  sources: [{ n: 1, title: 'T', publisher: null, date: null, url: null, file: 'pact.txt' }],
} as unknown as Answer;

const GAPS = [
  'How many North Korean soldiers died in Kursk?',
  'how many north korean troops were killed in kursk',
  'How many North Korean soldiers have died in the Kursk fighting?',
  'How tall is Kim Jong Un?',
  'what is the height of kim jong un',
  'How do I bake bread?',
];

beforeAll(async () => {
  work = await tempDir();
  file = path.join(work.dir, 'feedback.sqlite');
  const day = 86_400_000;
  let now = Date.now() - 3 * day;
  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }), () => now);
  GAPS.forEach((question, i) => {
    now += day / 3;
    store.recordQuestion({ userId: `u${i}`, via: i % 2 ? 'slash' : 'mention', question, answer: declined });
  });
  const bad = store.recordQuestion({ userId: 'u9', via: 'dm', question: 'What did Putin give Kim?', answer: answered });
  store.vote(bad, 'a', false);
  store.vote(bad, 'b', false);
  store.vote(bad, 'c', true);
  store.recordQuestion({ userId: 'u9', via: 'dm', question: 'Where did they meet?', answer: answered });
  store.close();
});

afterAll(() => work?.cleanup());

it('npm run report -- --json groups the declined questions by meaning, largest group first', async () => {
  const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/report.ts', '--since', '7d', '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, FEEDBACK_DB: file },
  });
  const report = JSON.parse(stdout) as Report;
  expect(report.totals).toMatchObject({ questions: 8, answered: 2, declined: 6, helpfulVotes: 1, notHelpfulVotes: 2 });
  expect(report.gaps.map((g) => g.count)).toEqual([3, 2, 1]);
  expect(report.gaps[0]!.examples.every((e) => /kursk/i.test(e))).toBe(true);
  expect(report.gaps[1]!.examples.every((e) => /kim jong un/i.test(e))).toBe(true);
  expect(report.gaps[2]!.examples).toEqual(['How do I bake bread?']);
  expect(report.notHelpful).toEqual([expect.objectContaining({ question: 'What did Putin give Kim?', notHelpful: 2, helpful: 1, articles: ['pact.txt'] })]);
  expect(report.perVia.map((v) => [v.via, v.questions])).toEqual([
    ['mention', 3],
    ['slash', 3],
    ['dm', 2],
  ]);
  expect(report.perDay.reduce((n, d) => n + d.questions, 0)).toBe(8);
}, 60_000);

it('reads well in the terminal and fits Discord messages', async () => {
  const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/report.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, FEEDBACK_DB: file },
  });
  expect(stdout).toMatch(/^Story Desk report, /);
  expect(stdout).toContain('8 questions: 2 answered, 0 with low confidence, 6 declined (75%), 0 empty.');
  expect(stdout).toMatch(/ 1\. 3 × "How many North Korean soldiers have died in the Kursk fighting\?"/);
  expect(stdout).toContain('2 👎 1 👍  "What did Putin give Kim?" — quoted pact.txt');
  expect(stdout).toMatch(/Per way of asking:\n {2}via +questions +answered +low +declined\n/);

  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
  const report = await buildReport(store, await testEmbedder(), 0);
  store.close();
  // Many groups with long wordings still come out as whole messages within Discord's limit.
  const big: Report = {
    ...report,
    gaps: Array.from({ length: 40 }, (_, i) => ({ count: 40 - i, examples: [`${'Why '.repeat(60)}${i}?`, 'short', 'other'], lastAskedAt: report.until })),
  };
  const messages = renderReportDiscord(big);
  expect(messages.length).toBeGreaterThan(1);
  for (const m of messages) {
    expect(m.length).toBeLessThanOrEqual(2000);
    expect((m.match(/```/g) ?? []).length % 2).toBe(0);
  }
  expect(messages.join('\n')).toContain('…and 25 more groups');
  await expect(
    run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/report.ts', '--since', 'last tuesday'], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_ENV, FEEDBACK_DB: file },
    }),
  ).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('Error: --since: "last tuesday" is not a period: use e.g. 7d'),
  });
}, 60_000);
