// Running for real: hot reload, load, REST and gateway faults, broken indexes, health and metrics.
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreConfig } from '../../src/config.js';
import type { RunningBot } from '../../src/discord/start.js';
import { percentile } from '../../src/util/percentile.js';
import { buildIndex } from '../../src/indexing/build.js';
import { currentVersionDir } from '../../src/store/files.js';
import { copyCorpus, ROOT, tempDir, TEST_ENV, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord, snowflake, type RecordedRequest, replyTo } from './fake-discord.js';
import { startTestBot } from './start-bot.js';

const run = promisify(execFile);
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
let fake: FakeDiscord;
let bot: RunningBot;
let core: CoreConfig;
let work: { dir: string; cleanup: () => Promise<void> };
const logLines: string[] = [];
let guildId: string;
let channelId: string;

const newUser = () => ({ id: snowflake(), username: 'u' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  work = await tempDir();
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  const embedder = await testEmbedder();
  await buildIndex(core, embedder);
  fake = await FakeDiscord.start();
  guildId = fake.guilds[0]!.id;
  channelId = fake.guilds[0]!.channels[0]!.id;
  const discord = testDiscordConfig({
    DISCORD_TOKEN: 'ops-token',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    HEALTH_PORT: '0',
    RATE_LIMIT_COUNT: '5',
    RATE_LIMIT_WINDOW_SECONDS: '30',
  });
  bot = await startTestBot({ core, discord, embedder, logLines, reloadPollMs: 200 });
  await fake.waitForReady();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await work?.cleanup();
});

describe('hot reload', () => {
  it('answers from a new article after `npm run index`, with no failed or mixed answer during the swap', async () => {
    await writeFile(
      path.join(core.corpusDir, 'banquet.md'),
      '---\ntitle: State banquet closes the summit\npublisher: Example Wire\ndate: 2024-06-20\nurl: https://example.com/banquet\n---\nThe state banquet in Pyongyang featured a performance by the Moranbong Band and a menu of cold noodles.\n',
    );
    // Questions keep coming while the index is rebuilt and swapped.
    const during: string[] = [];
    let indexing = true;
    const asking = (async () => {
      while (indexing) {
        during.push(fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Kim call Putin?' }));
        await sleep(40);
      }
    })();
    await run(tsx, ['scripts/index.ts', '--corpus', core.corpusDir, '--index', core.indexDir], { cwd: ROOT, env: { ...process.env, ...TEST_ENV } });
    await bot.watcher.check();
    indexing = false;
    await asking;
    const replies = await Promise.all(during.map((id) => fake.waitForRequest(replyTo(id))));
    expect(replies.length).toBeGreaterThan(3);
    for (const r of replies) expect(r.body.content).toContain('dearest friend of the Korean people');

    const question = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'Which band performed at the state banquet?' });
    const answer = await fake.waitForRequest(replyTo(question));
    expect(answer.body.content).toContain('Moranbong Band');
    expect(answer.body.content).toMatch(/\[State banquet closes the summit\]\(<https:\/\/example\.com\/banquet#:~:text=[^>]+>\) — Example Wire, 2024-06-20/);
    const sources = fake.sendInteraction({ channelId: snowflake(), user: newUser(), commandName: 'sources' });
    expect((await fake.waitForRequest((r) => r.path.includes(sources.token))).body.data.content).toContain('State banquet closes the summit');
    expect(logLines.some((l) => JSON.parse(l).event === 'index_reloaded')).toBe(true);
  });
});

/** A full collection before reading RSS, so the rounds compare what is live, not when the collector last ran. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('load', () => {
  async function round(label: string) {
    const users = Array.from({ length: 50 }, newUser);
    const questions = [
      'What did Putin give Kim as a gift?',
      'How many US troops are based in South Korea?',
      'How do I bake bread?',
      'Where was the welcoming ceremony held?',
    ];
    const sent: { id: string; kind: 'message' | 'interaction'; at: number; token?: string; silent: boolean }[] = [];
    // Past the limit (5 a window) a user is told once by message, then hears nothing; /ask always says so (ephemeral).
    const asked = new Map<string, number>();
    const told = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const user = users[i % users.length]!;
      const count = (asked.get(user.id) ?? 0) + 1;
      asked.set(user.id, count);
      const limitedMessage = count > 5 && i % 3 !== 2;
      const silent = limitedMessage && told.has(user.id);
      if (limitedMessage) told.add(user.id);
      const content = questions[i % questions.length]!;
      const at = Date.now();
      if (i % 3 === 0)
        sent.push({
          id: fake.sendMessage({ guildId, channelId, author: user, content: `<@${fake.botUser.id}> ${content}`, mentions: [fake.botUser] }),
          kind: 'message',
          at,
          silent,
        });
      else if (i % 3 === 1) sent.push({ id: fake.sendMessage({ channelId: snowflake(), author: user, content }), kind: 'message', at, silent });
      else {
        const { id, token } = fake.sendInteraction({ guildId, channelId, user, commandName: 'ask', options: [{ name: 'question', type: 3, value: content }] });
        sent.push({ id, token, kind: 'interaction', at, silent: false });
      }
      if (i % 25 === 24) await sleep(20); // a steady ~1,000 questions/s, in bursts of 25
    }
    const latencies: number[] = [];
    let answered = 0;
    let limited = 0;
    for (const s of sent.filter((s) => !s.silent)) {
      const final =
        s.kind === 'message'
          ? await fake.waitForRequest(replyTo(s.id), 30_000)
          : await fake.waitForRequest(
              (r) => r.path.includes(s.token!) && (r.method === 'PATCH' || (r.path.endsWith('/callback') && r.body?.type === 4)),
              30_000,
            );
      latencies.push(final.at - s.at);
      const content: string = final.body.content ?? final.body.data?.content;
      if (/asking faster than I can keep up/.test(content)) limited++;
      else if (/” \[1\]|The articles don't say/.test(content)) answered++;
    }
    // Nothing lost, nothing answered twice, nothing sent to a user already told to wait.
    for (const s of sent.filter((s) => s.kind === 'message')) expect(fake.requestsMatching(replyTo(s.id))).toHaveLength(s.silent ? 0 : 1);
    for (const s of sent.filter((s) => s.kind === 'interaction')) {
      const callbacks = fake.requestsMatching((r) => r.path.includes(s.token!) && r.path.endsWith('/callback'));
      const edits = fake.requestsMatching((r) => r.path.includes(s.token!) && r.method === 'PATCH');
      expect(callbacks).toHaveLength(1);
      expect(edits).toHaveLength(callbacks[0]!.body.type === 5 ? 1 : 0);
    }
    const silent = sent.filter((s) => s.silent).length;
    expect(silent).toBeGreaterThan(0);
    expect(answered + limited + silent).toBe(500);
    expect(answered).toBe(50 * 5);
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    console.log(
      `load ${label}: 500 questions from 50 users, ${answered} answered, ${limited} told to wait, ${silent} past the limit unanswered; event → reply p50 ${p50} ms, p95 ${p95} ms`,
    );
    collectGarbage();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  }

  it('serves 50 users × 10 questions twice: every question answered or politely limited, memory flat', async () => {
    await round('warm-up'); // first round warms caches and JIT: the comparison is between the two rounds after it
    const first = await round('round 1');
    const second = await round('round 2');
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`load: after round 1 / round 2: RSS ${mib(first.rss)} / ${mib(second.rss)}, JS heap ${mib(first.heapUsed)} / ${mib(second.heapUsed)}`);
    // The JS heap after a full collection is close to exact (50 → 52 and 52 → 54 MiB measured on Node 22 and 24):
    // 8 MiB more would be a leak of 16 KB per question of a round.
    expect(second.heapUsed).toBeLessThanOrEqual(first.heapUsed + 8 * 2 ** 20);
    // The allocator does not hand freed native memory back at once (Node 24 once showed +12 % here with nothing
    // kept): resident memory may drift by 64 MiB, which a leak of 128 KB per question of a round would pass.
    expect(second.rss).toBeLessThanOrEqual(first.rss + 64 * 2 ** 20);
  }, 120_000);
});

describe('faults', () => {
  it('retries a reply that got a 500 and then a 429, and keeps serving others', async () => {
    const isReply = (r: RecordedRequest) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path);
    fake.failNext(isReply, { status: 500 });
    fake.failNext(isReply, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
      headers: { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' },
    });
    const id = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Putin give Kim as a gift?' });
    // The same reply is sent three times: refused (500), throttled (429), accepted.
    await expect.poll(() => fake.requestsMatching(replyTo(id)).length, { timeout: 10_000 }).toBe(3);
    expect(fake.requestsMatching(replyTo(id)).every((r) => r.body.content.includes('luxury car'))).toBe(true);
    const other = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Kim call Putin?' });
    expect((await fake.waitForRequest(replyTo(other))).body.content).toContain('dearest friend');
  });

  it('gives up on a reply Discord keeps refusing, logs it with ids, and answers the next question', async () => {
    const channel = snowflake();
    const isReply = (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channel}/messages`;
    for (let i = 0; i < 10; i++) fake.failNext(isReply, { status: 500 });
    const id = fake.sendMessage({ channelId: channel, author: newUser(), content: 'What did Kim call Putin?' });
    await expect
      .poll(() => logLines.map((l) => JSON.parse(l)).find((l) => l.event === 'handler_failed' && l.messageId === id), { timeout: 20_000 })
      .toBeDefined();
    const next = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Kim call Putin?' });
    expect((await fake.waitForRequest(replyTo(next))).body.content).toContain('dearest friend');
  }, 30_000);

  it('resumes after a resumable gateway close and re-identifies after a session-ending one', async () => {
    const resumes = fake.resumeCount;
    const identifies = fake.identifyCount;
    fake.closeGateway(4000); // unknown error: the session survives
    // Asked while the bot is away: Discord replays it on RESUME, and it is answered, not lost.
    const whileAway = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: "How did Kim travel to Russia's Far East?" });
    await expect.poll(() => fake.resumeCount, { timeout: 15_000 }).toBeGreaterThan(resumes);
    expect(fake.identifyCount).toBe(identifies);
    expect((await fake.waitForRequest(replyTo(whileAway))).body.content).toContain('bulletproof train');
    fake.closeGateway(4007); // invalid sequence: the session cannot be resumed
    await expect.poll(() => fake.identifyCount, { timeout: 15_000 }).toBeGreaterThan(identifies);
    const id = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'Where was the welcoming ceremony held?' });
    expect((await fake.waitForRequest(replyTo(id))).body.content).toContain('Kim Il Sung Square');
  }, 30_000);

  it('keeps serving from memory when the index folder is deleted, and picks up the index built again', async () => {
    await rm(core.indexDir, { recursive: true, force: true });
    await bot.watcher.check();
    const id = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'How many US troops are based in South Korea?' });
    expect((await fake.waitForRequest(replyTo(id))).body.content).toContain('28,000');
    // The folder watch died with the folder; the check (also on the poll timer) still finds the new version.
    const rebuilt = await buildIndex(core, await testEmbedder());
    await bot.watcher.check();
    expect(logLines.map((l) => JSON.parse(l)).some((l) => l.event === 'index_reloaded' && l.version === rebuilt.versionDir)).toBe(true);
  });
});

describe('health and metrics', () => {
  it('serves /healthz and Prometheus /metrics', async () => {
    const port = (bot.health!.address() as AddressInfo).port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', shards: [{ id: 0, status: 'Ready', ready: true, pingMs: expect.any(Number) }] });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (pattern: RegExp) => Number(metrics.match(pattern)?.[1]);
    expect(value(/storydesk_questions_total\{via="dm",outcome="answered"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/storydesk_questions_total\{via="slash",outcome="not-covered"\} (\d+)/)).toBeGreaterThan(0); // refusals
    expect(value(/storydesk_questions_total\{via="dm",outcome="rate-limited"\} (\d+)/)).toBeGreaterThan(0); // the load test's
    expect(value(/storydesk_questions_total\{via="slash",outcome="rate-limited"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/storydesk_errors_total (\d+)/)).toBeGreaterThan(0); // the reply Discord kept refusing
    expect(value(/storydesk_answer_latency_seconds_count (\d+)/)).toBeGreaterThan(0);
    expect(value(/storydesk_answer_latency_seconds_bucket\{le="\+Inf"\} (\d+)/)).toBe(value(/storydesk_answer_latency_seconds_count (\d+)/));
    expect(value(/storydesk_index_articles (\d+)/)).toBe(3);
    expect(value(/storydesk_index_chunks (\d+)/)).toBeGreaterThan(3);
  });

  it('/healthz says 503 while the gateway connection is down, 200 once connected again', async () => {
    const healthz = `http://127.0.0.1:${(bot.health!.address() as AddressInfo).port}/healthz`;
    fake.holdReady();
    fake.closeGateway(4007); // the bot must identify again, and the fake holds back READY
    await expect.poll(async () => (await fetch(healthz)).status, { timeout: 15_000 }).toBe(503);
    expect(await (await fetch(healthz)).json()).toMatchObject({ status: 'starting', shards: [{ id: 0, ready: false }] });
    fake.releaseReady();
    await expect.poll(async () => (await fetch(healthz)).status, { timeout: 15_000 }).toBe(200);
  });
});

describe('start-up failures', () => {
  const env = { ...process.env, ...TEST_ENV, DISCORD_TOKEN: 'x', DISCORD_CLIENT_ID: '123456789012345678', DISCORD_API_URL: 'http://127.0.0.1:9/api' };

  it('a damaged index: names the file and the fix, exits once without a stack trace', async () => {
    const indexDir = path.join(work.dir, 'damaged');
    await buildIndex({ ...core, indexDir }, await testEmbedder());
    const file = async (suffix: string) => {
      const version = (await currentVersionDir(indexDir))!;
      return path.join(version, (await readdir(version)).find((n) => n.endsWith(suffix))!);
    };
    const start = () => run(tsx, ['src/discord/main.ts'], { cwd: ROOT, env: { ...env, INDEX_DIR: indexDir } }).catch((e) => e);
    const vectors = await file('.pb');
    await writeFile(vectors, 'half-written garbage');
    const failure = await start();
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(vectors);
    expect(failure.stderr).toContain('Repair it with: npm run index');
    expect(failure.stderr).not.toMatch(/\n\s+at /);
    // A vector file cut short by a crash mid-write.
    await buildIndex({ ...core, indexDir }, await testEmbedder(), { full: true });
    const sentences = await file('.sentences.i8');
    await truncate(sentences, 100);
    const cut = await start();
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(sentences);
    expect(cut.stderr).toContain('Repair it with: npm run index');
  });

  it('a missing index or model folder, or missing settings: says what to do', async () => {
    const noIndex = await run(tsx, ['src/discord/main.ts'], { cwd: ROOT, env: { ...env, INDEX_DIR: path.join(work.dir, 'nothing') } }).catch((e) => e);
    expect(noIndex.stderr).toContain('Build it with: npm run index');
    const noModel = await run(tsx, ['src/discord/main.ts'], {
      cwd: ROOT,
      env: { ...env, INDEX_DIR: core.indexDir, MODEL_DIR: path.join(work.dir, 'no-models') },
    }).catch((e) => e);
    expect(noModel.stderr).toContain('(no such folder)');
    const noToken = await run(tsx, ['src/discord/main.ts'], { cwd: ROOT, env: { ...env, DISCORD_TOKEN: '' } }).catch((e) => e);
    expect(noToken.stderr).toContain('DISCORD_TOKEN');
    expect(noToken.code).toBe(1);
  });
});
