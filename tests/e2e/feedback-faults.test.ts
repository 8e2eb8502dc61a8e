// The feedback store never holds up an answer, against the real bot and the fake Discord on loopback: a full
// disk under the database (a file-size limit on the bot's process) and a damaged file at start; forged and
// flooded votes; /report over 100k stored questions while readers ask.
import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDiscordConfig, type CoreConfig } from '../../src/config.js';
import { NOT_RATEABLE, TOO_OLD, VOTING_TOO_FAST } from '../../src/discord/buttons/vote.js';
import type { RunningBot } from '../../src/discord/start.js';
import { FeedbackStore } from '../../src/feedback/store.js';
import { buildIndex } from '../../src/indexing/build.js';
import { percentile } from '../../src/util/percentile.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig, testEmbedder } from '../helpers.js';
import { writeFeedbackRows } from '../support/feedback-rows.js';
import { FakeDiscord, snowflake, type FakeMessageRef, type RecordedRequest, replyTo, callbackOf, editOf, customIds } from './fake-discord.js';
import { startTestBot } from './start-bot.js';

let core: CoreConfig;
let work: { dir: string; cleanup: () => Promise<void> };
let users = 0;
const newUser = () => ({ id: snowflake(), username: `reader${++users}` });
const ANSWER = /” \[1\]|The articles don't say/;
const QUESTIONS = [
  'What did Putin give Kim as a gift?',
  'How many US troops are based in South Korea?',
  'Where was the welcoming ceremony held?',
  'What did Kim call Putin?',
];

beforeAll(async () => {
  work = await tempDir();
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  await buildIndex(core, await testEmbedder());
});
afterAll(() => work?.cleanup());

describe('a full disk and a damaged file under the feedback database', () => {
  it('npm start moves the damaged file aside and starts a new one; with the disk then full every question is still answered, failures logged and counted', async () => {
    const dir = path.join(work.dir, 'full');
    const file = path.join(dir, 'feedback.sqlite');
    // A database damaged in the middle (its header still reads).
    const seed = FeedbackStore.open({ file, storeQuestionText: true, retentionDays: 30, salt: null });
    seed.close();
    writeFeedbackRows(path.join(dir, 'rows.sqlite'), 2000);
    const damaged = readFileSync(path.join(dir, 'rows.sqlite'));
    damaged.fill(0x5a, 4096 * 4, 4096 * 8);
    writeFileSync(file, damaged);
    const fake = await FakeDiscord.start({ heartbeatMs: 30_000 });
    // No file of the bot's may grow past 64 KiB (sh counts 512-byte blocks): the new database is made, its
    // write-ahead log soon fills, and every write after that fails with EFBIG as on a full disk.
    const bot = spawn('/bin/sh', ['-c', 'ulimit -f 128 && exec "$0" --import tsx src/discord/main.ts', process.execPath], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_ENV,
        INDEX_DIR: core.indexDir,
        FEEDBACK_DB: file,
        DISCORD_TOKEN: 'full-disk-token',
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        HEALTH_PORT: '0',
        HEALTH_HOST: '127.0.0.1',
        RATE_LIMIT_COUNT: '1000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    bot.stdout!.on('data', (d) => (output += d));
    bot.stderr!.on('data', (d) => (output += d));
    const events = () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    try {
      await fake.waitForReady(1, 60_000).catch((error) => {
        throw new Error(`${error.message}\n${output.slice(-3000)}`);
      });
      const moved = events().find((e) => e.event === 'feedback_moved_aside');
      expect(moved, output.slice(-3000)).toMatchObject({ level: 'warn', file, movedTo: expect.stringMatching(/feedback\.sqlite\.corrupt-/) });
      expect(readFileSync(moved.movedTo)).toEqual(damaged); // kept as it was, for inspection
      expect(existsSync(file)).toBe(true);

      const reader = newUser();
      const channelId = snowflake();
      let lastAnswer: RecordedRequest | null = null;
      for (let i = 0; i < 40; i++) {
        // Long questions fill the log sooner; each waits for its answer, so each is its own write.
        const content = `${QUESTIONS[i % QUESTIONS.length]} ${'Please quote the articles exactly. '.repeat(6)}(${i})`;
        const id = fake.sendMessage({ channelId, author: reader, content });
        lastAnswer = await fake.waitForRequest(replyTo(id), 20_000);
        expect(lastAnswer.body.content).toMatch(ANSWER);
      }
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(128 * 512);
      const failed = events().filter((e) => e.event === 'feedback_write_failed');
      expect(failed.length, output.slice(-2000)).toBeGreaterThan(0);
      expect(failed[0]).toMatchObject({ level: 'error', error: expect.any(String), lost: expect.any(Number) });
      const port = events().find((e) => e.event === 'health_listening').port;
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const lost = Number(metrics.match(/storydesk_feedback_write_failures_total (\d+)/)?.[1]);
      expect(lost).toBe(failed.reduce((n, e) => n + e.lost, 0));
      expect(lost).toBeGreaterThan(0);
      expect(metrics).toMatch(/storydesk_errors_total 0\n/);
      // A vote on an answer whose row was lost is told so politely, not "something went wrong".
      const voteId = customIds(lastAnswer!.body).find((c) => c.startsWith('vote:'));
      if (voteId) {
        const click = fake.clickButton({ channelId, user: newUser(), customId: voteId, message: { id: snowflake(), author: fake.botUser, content: '' } });
        expect((await fake.waitForRequest(callbackOf(click))).body.data.content).toMatch(/too old|noted as/);
      }
      console.log(`full disk: 40 of 40 questions answered; ${lost} writes lost, ${failed.length} failure lines logged`);
    } finally {
      if (bot.exitCode === null) bot.kill('SIGKILL');
      await fake.close();
    }
  }, 120_000);
});

describe('votes and the report against the running bot', () => {
  let fake: FakeDiscord;
  let bot: RunningBot;
  let file: string;
  const guildId = snowflake();
  const channelId = snowflake();
  beforeAll(async () => {
    file = path.join(work.dir, 'bot', 'feedback.sqlite');
    writeFeedbackRows(file, 100_000);
    fake = await FakeDiscord.start({ guilds: [{ id: guildId, channels: [{ id: channelId, name: 'news' }] }] });
    bot = await startTestBot({
      core,
      discord: loadDiscordConfig({
        DISCORD_TOKEN: 'votes-token',
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        FEEDBACK_DB: file,
        RATE_LIMIT_COUNT: '1000',
      }),
      embedder: await testEmbedder(),
    });
    await fake.waitForReady();
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  async function ask(question: string, user = newUser()) {
    const interaction = fake.sendInteraction({ guildId, channelId, user, commandName: 'ask', options: [{ name: 'question', type: 3, value: question }] });
    const edit = await fake.waitForRequest(editOf(interaction), 20_000);
    const message: FakeMessageRef = { id: snowflake(), author: fake.botUser, content: edit.body.content, components: edit.body.components };
    return { edit, message };
  }

  it('a forged vote (on a decline, on an id never given, malformed) is refused politely and not counted', async () => {
    const declined = await ask('How do I bake sourdough bread at home?');
    expect(customIds(declined.edit.body)).toEqual([]);
    bot.feedback.flush();
    const db = new Database(file, { readonly: true });
    const { id } = db.prepare("SELECT id FROM questions WHERE question = 'How do I bake sourdough bread at home?'").get() as { id: number };
    const before = (db.prepare('SELECT COUNT(*) AS n FROM votes').get() as { n: number }).n;
    const click = (customId: string) => fake.clickButton({ guildId, channelId, user: newUser(), customId, message: declined.message });
    const refusals = await Promise.all(
      [`vote:${id}:1`, `vote:${id}:0`, 'vote:424242:1', 'vote:-5:1', 'vote:1e3:1', `vote:${id}:7`].map(async (customId) => {
        const i = click(customId);
        return (await fake.waitForRequest(callbackOf(i))).body.data.content;
      }),
    );
    expect(refusals).toEqual([NOT_RATEABLE, NOT_RATEABLE, TOO_OLD, TOO_OLD, TOO_OLD, TOO_OLD]);
    bot.feedback.flush();
    expect((db.prepare('SELECT COUNT(*) AS n FROM votes').get() as { n: number }).n).toBe(before);
    db.close();
  });

  it('600 vote clicks from one reader: ten counted, one notice, the rest cost nothing; other readers are not kept waiting', async () => {
    const answered = await ask(QUESTIONS[0]!);
    const [, up, down] = customIds(answered.edit.body);
    expect(up).toMatch(/^vote:\d+:1$/);
    const clicker = newUser();
    const clicks = Array.from({ length: 600 }, (_, i) =>
      fake.clickButton({ guildId, channelId, user: clicker, customId: i % 2 ? up! : down!, message: answered.message }),
    );
    const started = Date.now();
    const readers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const t = Date.now();
        await ask(QUESTIONS[i % QUESTIONS.length]!);
        return Date.now() - t;
      }),
    );
    await new Promise((r) => setTimeout(r, 500)); // whatever the clicks still cost arrives
    const replies = clicks.flatMap((c) => fake.requestsMatching(callbackOf(c)));
    const p95 = percentile(readers, 0.95);
    console.log(`600 vote clicks: ${replies.length} replies; readers' p95 ${p95} ms (burst over in ${Date.now() - started} ms)`);
    expect(replies.length).toBe(11);
    expect(replies.filter((r) => r.body.data.content === VOTING_TOO_FAST)).toHaveLength(1);
    expect(p95).toBeLessThan(2000);
    bot.feedback.flush();
    const db = new Database(file, { readonly: true });
    const questionId = Number(up!.split(':')[1]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM votes WHERE question_id = ?').get(questionId)).toEqual({ n: 1 });
    db.close();
  }, 60_000);

  it('/report over 100k stored questions comes in the usual messages while readers are answered without delay', async () => {
    const editor = fake.sendInteraction({ guildId, channelId, user: newUser(), commandName: 'report', options: [{ name: 'since', type: 3, value: '7d' }] });
    const started = Date.now();
    await fake.waitForRequest(callbackOf(editor));
    const readers: number[] = [];
    // Readers ask one after another while the report is built.
    const reportDone = fake.waitForRequest(editOf(editor), 60_000).then((r) => ({ r, at: Date.now() }));
    let done = false;
    void reportDone.then(() => (done = true));
    while (!done || readers.length < 5) {
      const t = Date.now();
      await ask(QUESTIONS[readers.length % QUESTIONS.length]!);
      readers.push(Date.now() - t);
    }
    const { r: first, at } = await reportDone;
    const seconds = (at - started) / 1000;
    console.log(`/report over 100k questions: ${seconds.toFixed(1)} s; ${readers.length} readers meanwhile, p95 ${percentile(readers, 0.95)} ms`);
    expect(first.body.content).toMatch(/^\*\*Story Desk report\*\* · /);
    expect(first.body.content).toMatch(/\d{6} questions: /);
    const followUps = fake.requestsMatching((q) => q.method === 'POST' && q.path.startsWith(`/webhooks/`) && q.path.includes(editor.token));
    for (const m of [first, ...followUps]) expect(m.body.content.length).toBeLessThanOrEqual(2000);
    expect(1 + followUps.length).toBeLessThanOrEqual(5);
    expect(seconds).toBeLessThan(30);
    expect(percentile(readers, 0.95)).toBeLessThan(2000);
  }, 90_000);
});

it('the report script opens the file read-only: a read-only database is reported, not changed', async () => {
  const dir = path.join(work.dir, 'ro');
  const file = path.join(dir, 'feedback.sqlite');
  writeFeedbackRows(file, 500, { days: 40 }); // some rows past a 30-day retention: the report leaves them be
  const before = readFileSync(file);

  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/report.ts', '--since', '60d', '--json'],
      { cwd: ROOT, env: { ...process.env, ...TEST_ENV, FEEDBACK_DB: file, RETENTION_DAYS: '30' } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  expect(JSON.parse(stdout).totals.questions).toBe(500);
  expect(readFileSync(file)).toEqual(before); // nothing deleted, no journal mode switched
  // SQLite may make the shared-memory index a reader of a WAL file needs, but nothing is written to the log.
  expect(
    readdirSync(dir)
      .filter((f) => f.endsWith('-wal'))
      .every((f) => statSync(path.join(dir, f)).size === 0),
  ).toBe(true);
}, 60_000);
