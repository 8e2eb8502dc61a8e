// npm run ops-report: the figures in the README's Operations section, measured here and now.
//  1. hostile questions through ask() and both Discord reply forms: exceptions and rule violations;
//  2. a spammer beside ten readers against the real bot on a fake Discord (loopback): REST calls, latency;
//  3. resident memory of SHARDS=4 in one process vs SHARD_PROCESSES=4, on the same index;
//  4. peak resident memory of `npm run index` on generated 6 MB and 20 MB articles (ARTICLE_MAX_MB default 6);
//  5. stalls: readers' /ask latency on the real bot while an editor /adds each hostile file, and the time to
//     add or refuse it (default budgets: ARTICLE_PARSE_SECONDS 30, ARTICLE_PARSE_MEMORY_MB 512).
// Usage: npm run ops-report -- [--questions 3000] [--only stall]   (MODEL_DIR / EMBEDDING_MODEL as for the tests)
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import { loadCoreConfig, loadDiscordConfig } from '../src/config.js';
import { withoutMarkup } from '../src/discord/replies.js';
import { startBot } from '../src/discord/start.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { percentile } from '../src/util/percentile.js';
import { buildIndex } from '../src/indexing/build.js';
import { createLogger } from '../src/log.js';
import { renderAnswerForDiscord } from '../src/render/discord.js';
import { FakeDiscord, snowflake, snowflakeForShard, type RecordedRequest } from '../tests/e2e/fake-discord.js';
import { HOSTILE_ARTICLE, hostileText, INVISIBLE_ARTICLE, messageViolations } from '../tests/support/hostile.js';
import { addWhileReadersAsk } from '../tests/support/add-stall.js';
import { deepDivsPage, inflatingPdf, manyLinePdf, textWithoutBlankLine } from '../tests/support/hostile-files.js';

const { values } = parseArgs({ options: { questions: { type: 'string', default: '3000' }, only: { type: 'string' } } });
const wanted = (section: string) => !values.only || values.only === section;
const ROOT = path.resolve(import.meta.dirname, '..');
const env = {
  MODEL_DIR: process.env.MODEL_DIR ?? path.resolve(ROOT, '../shared/models'),
  EMBEDDING_MODEL: process.env.EMBEDDING_MODEL ?? 'Local/use-static-bert-uncased',
};
const work = await mkdtemp(path.join(os.tmpdir(), 'story-desk-ops-'));
const corpusDir = path.join(work, 'corpus');
await cp(path.join(ROOT, 'corpus'), corpusDir, { recursive: true });
await writeFile(path.join(corpusDir, 'hostile.md'), HOSTILE_ARTICLE);
await writeFile(path.join(corpusDir, 'invisible.md'), INVISIBLE_ARTICLE);
const core = loadCoreConfig({
  ...env,
  CORPUS_DIR: corpusDir,
  INDEX_DIR: path.join(work, 'index'),
  MODEL_CACHE_DIR: path.join(os.tmpdir(), 'story-desk-model-cache'),
});
const embedder = await loadEmbedder(core.embedding);
await buildIndex(core, embedder);
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

// 1. Hostile questions.
if (wanted('questions')) {
  const engine = await openEngine(core, embedder);
  const questions = fc.sample(hostileText, { seed: 14, numRuns: Number(values.questions) });
  let exceptions = 0;
  let answered = 0;
  const violations = new Map<string, number>();
  for (const asked of questions) {
    try {
      const answer = await ask(engine, withoutMarkup(asked));
      if (answer.answered) answered++;
      for (const content of [renderAnswerForDiscord(answer, { heading: asked }), renderAnswerForDiscord(answer)]) {
        for (const v of messageViolations(content)) violations.set(v.rule, (violations.get(v.rule) ?? 0) + 1);
      }
    } catch {
      exceptions++;
    }
  }
  const broken = [...violations].map(([rule, n]) => `${rule}: ${n}`).join(', ') || 'none';
  say(
    `- Hostile questions (fast-check, seed 14): ${questions.length} tried, ${answered} answered, ${exceptions} exceptions; ${questions.length * 2} replies checked, violations: ${broken}.`,
  );
}

// 2. A spammer beside ten readers.
if (wanted('spam')) {
  const fake = await FakeDiscord.start({ heartbeatMs: 30_000 });
  const discord = loadDiscordConfig({
    DISCORD_TOKEN: 'ops',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    RATE_LIMIT_COUNT: '5',
    RATE_LIMIT_WINDOW_SECONDS: '30',
  });
  const bot = await startBot({ core, discord, embedder, logger: createLogger({ write: () => undefined }), rest: { globalRequestsPerSecond: 10_000 } });
  await fake.waitForReady();
  const replyTo = (id: string) => (r: RecordedRequest) => r.method === 'POST' && r.body?.message_reference?.message_id === id;
  const questions = ['What did Putin give Kim as a gift?', 'How many US troops are based in South Korea?', 'Where was the welcoming ceremony held?'];
  const burst = async (spam: boolean) => {
    const readers = Array.from({ length: 10 }, () => ({ user: { id: snowflake(), username: 'r' }, channelId: snowflake() }));
    const spammer = { user: { id: snowflake(), username: 's' }, channelId: snowflake() };
    const sent: { id: string; at: number }[] = [];
    for (let i = 0; i < (spam ? 230 : 30); i++) {
      const reader = spam && i % 23 !== 0 ? null : readers[sent.length % 10]!;
      const from = reader ?? spammer;
      const id = fake.sendMessage({ channelId: from.channelId, author: from.user, content: questions[i % questions.length]! });
      if (reader) sent.push({ id, at: Date.now() });
    }
    const latencies: number[] = [];
    for (const s of sent) latencies.push((await fake.waitForRequest(replyTo(s.id), 30_000)).at - s.at);
    await new Promise((r) => setTimeout(r, 300));
    return { latencies, spamCalls: fake.requestsMatching((r) => r.path.startsWith(`/channels/${spammer.channelId}/`)).length };
  };
  await burst(false);
  const base: number[] = [];
  const spam: number[] = [];
  let calls = 0;
  for (let i = 0; i < 3; i++) {
    base.push(...(await burst(false)).latencies);
    const round = await burst(true);
    spam.push(...round.latencies);
    calls += round.spamCalls;
  }
  say(
    `- Spam (3 rounds of 1 user × 200 messages beside 10 readers × 3 questions, limit 5 per 30 s): ${(calls / 600).toFixed(3)} REST calls per spam message (${calls} in all: the answers within the limit and one notice a round); readers' p50/p95 ${percentile(base, 0.5)}/${percentile(base, 0.95)} ms without, ${percentile(spam, 0.5)}/${percentile(spam, 0.95)} ms with the spammer (×${(percentile(spam, 0.95) / percentile(base, 0.95)).toFixed(2)} at p95).`,
  );
  await bot.stop();
  await fake.close();
}

/** Resident memory of a process tree now, from /proc (Linux). */
async function rssMiB(pids: number[]): Promise<number> {
  let kib = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kib / 1024);
}

async function childPids(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const direct = children.trim().split(/\s+/).filter(Boolean).map(Number);
  return [...direct, ...(await Promise.all(direct.map(childPids))).flat()];
}

// 3. Memory per shard layout.
for (const processes of wanted('shards') ? [1, 4] : []) {
  const guilds = [0, 1, 2, 3].map((shard) => ({ id: snowflakeForShard(shard, 4), channels: [{ id: snowflake() }] }));
  const fake = await FakeDiscord.start({ guilds, shards: 4, heartbeatMs: 30_000 });
  const child = spawn(process.execPath, ['--import', './scripts/ts-hooks.mjs', 'src/discord/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      STORY_DESK_ENV_FILE: 'off',
      INDEX_DIR: core.indexDir,
      DISCORD_TOKEN: 'ops',
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      SHARDS: '4',
      ...(processes > 1 ? { SHARD_PROCESSES: String(processes) } : {}),
      FEEDBACK_DB: path.join(work, `feedback-${processes}.sqlite`),
    },
    stdio: 'ignore',
  });
  await fake.waitForReady(4, 120_000);
  await new Promise((r) => setTimeout(r, 1000));
  const pids = [child.pid!, ...(await childPids(child.pid!))];
  const rss = await rssMiB(pids);
  say(
    `- SHARDS=4${processes > 1 ? ` SHARD_PROCESSES=${processes}` : ''}: ${pids.length} process${pids.length > 1 ? 'es' : ''}, ${rss} MiB resident in all (${Math.round(rss / 4)} MiB per shard) on a ${core.embedding.model} index.`,
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await fake.close();
}

// 4. Indexing a large article, peak resident memory of the child process: one under the default limit, one over.
for (const megabytes of wanted('memory') ? [6, 20] : []) {
  const bigCorpus = path.join(work, `big-${megabytes}`);
  await cp(path.join(ROOT, 'corpus'), bigCorpus, { recursive: true });
  const sentence = (i: number) =>
    `Paragraph ${i} of the long report says that the treaty between Russia and North Korea was discussed again on day ${i % 365}, with officials from both sides quoted at length about what it means for the region and for the war in Ukraine.`;
  const paragraphs: string[] = ['# A very long report on the treaty', '', 'June 19, 2024', ''];
  let size = 0;
  for (let i = 0; size < megabytes * 2 ** 20 - 2048; i++) {
    const p = `${sentence(i)} ${sentence(i + 1)}`;
    paragraphs.push(p, '');
    size += p.length + 2;
  }
  await writeFile(path.join(bigCorpus, 'very-long-report.md'), paragraphs.join('\n'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-hooks.mjs', 'scripts/index.ts', '--corpus', bigCorpus, '--index', path.join(work, `big-index-${megabytes}`)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, STORY_DESK_ENV_FILE: 'off', EMBEDDING_MODEL: 'Local/use-static-bert-uncased' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let peak = 0;
  const poll = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  }, 50);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  const skipped = /skipped very-long-report\.md: ([^\n]+)/.exec(stderr)?.[1];
  const outcome = code !== 0 ? `failed (exit ${code}: ${stderr.trim().split('\n').at(-1)})` : skipped ? `refused: ${skipped}` : 'indexed';
  say(
    `- A ${megabytes} MB article (${(size / 2 ** 20).toFixed(1)} MiB of text): ${outcome} in ${((Date.now() - started) / 1000).toFixed(0)} s, peak resident ${Math.round(peak / 1024)} MiB (static model).`,
  );
}

// 5. Stalls: readers asking while an editor adds each hostile file through /add.
if (wanted('stall')) {
  const fake = await FakeDiscord.start({ heartbeatMs: 30_000, guilds: [{ id: snowflake(), channels: [{ id: snowflake() }] }] });
  const guild = fake.guilds[0]!;
  const where = { guildId: guild.id, channelId: guild.channels[0]!.id };
  const stallCore = loadCoreConfig({ ...env, CORPUS_DIR: corpusDir, INDEX_DIR: core.indexDir, MODEL_CACHE_DIR: core.embedding.cacheDir });
  const discord = loadDiscordConfig({
    DISCORD_TOKEN: 'ops',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_CDN_URL: fake.cdnUrl,
    FEEDBACK_DB: path.join(work, 'feedback-stall.sqlite'),
  });
  const bot = await startBot({
    core: stallCore,
    discord,
    embedder,
    logger: createLogger({ write: () => undefined }),
    rest: { globalRequestsPerSecond: 10_000 },
  });
  await fake.waitForReady();
  const files = [
    { label: '2,000-deep nested <div>s', name: 'deep.html', contentType: 'text/html', bytes: Buffer.from(deepDivsPage(2000)) },
    { label: '1,000-deep nested <div>s', name: 'deep-1000.html', contentType: 'text/html', bytes: Buffer.from(deepDivsPage(1000)) },
    { label: '3 MB of text, no blank line', name: 'record.txt', contentType: 'text/plain', bytes: Buffer.from(textWithoutBlankLine(3 * 2 ** 20)) },
    { label: '1 MB PDF inflating to 1 GiB', name: 'bomb.pdf', contentType: 'application/pdf', bytes: await inflatingPdf(2 ** 30) },
    { label: 'PDF of 160,000 lines', name: 'lines.pdf', contentType: 'application/pdf', bytes: manyLinePdf(160_000) },
  ];
  const size = (bytes: number) => (bytes < 2 ** 20 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`);
  say('');
  say('| File added (size) | Outcome | Add answered after | /asks | Ack max | Answer p50 / p95 / max |');
  say('|---|---|---:|---:|---:|---:|');
  for (const file of files) {
    const stall = await addWhileReadersAsk(fake, where, file);
    const outcome = stall.reply
      .split('\n')[0]!
      .replace(/^Not added: [^:]+: /, 'refused: ')
      .replace(/ \(the limit, ([A-Z_]+=\S+):.*\)$/, ' ($1)')
      .replace(/^(Added): .*\((\d+ chunks?)\).*/, 'added ($2)');
    const ms = (v: number) => `${Math.round(v)} ms`;
    say(
      `| ${file.label} (${size(file.bytes.length)}) | ${outcome} | ${(stall.addMs / 1000).toFixed(1)} s | ${stall.ackMs.length} | ${ms(Math.max(...stall.ackMs))} | ${ms(percentile(stall.answerMs, 0.5))} / ${ms(percentile(stall.answerMs, 0.95))} / ${ms(Math.max(...stall.answerMs))} |`,
    );
  }
  await bot.stop();
  await fake.close();
}

await rm(work, { recursive: true, force: true });
say(`(${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`);
