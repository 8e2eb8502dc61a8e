// Shards: SHARDS=4 runs four gateway shards on one client in one process, sharing one model and one index;
// SHARD_PROCESSES=2 spreads them over two processes. The fake routes guild events by (guild_id >> 22) % shards.
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreConfig } from '../../src/config.js';
import { startBot } from '../../src/discord/start.js';
import { buildIndex } from '../../src/indexing/build.js';
import { createLogger } from '../../src/log.js';
import { copyCorpus, ROOT, tempDir, TEST_ENV, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord, snowflake, snowflakeForShard, type RecordedRequest } from './fake-discord.js';

let work: { dir: string; cleanup: () => Promise<void> };
let core: CoreConfig;
const reader = () => ({ id: snowflake(), username: 'reader' });
const replyTo = (channelId: string, messageId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.body?.message_reference?.message_id === messageId;

beforeAll(async () => {
  work = await tempDir();
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  await buildIndex(core, await testEmbedder());
});
afterAll(() => work?.cleanup());

/** A mention in each guild (each on its own shard) and a DM (shard 0): every one answered. */
async function askEveryShard(fake: FakeDiscord): Promise<void> {
  for (const guild of fake.guilds) {
    const channelId = guild.channels[0]!.id;
    const id = fake.sendMessage({
      guildId: guild.id,
      channelId,
      author: reader(),
      content: `<@${fake.botUser.id}> What did Putin give Kim as a gift?`,
      mentions: [fake.botUser],
    });
    expect((await fake.waitForRequest(replyTo(channelId, id), 20_000)).body.content).toContain('luxury car');
  }
  const dm = snowflake();
  const id = fake.sendMessage({ channelId: dm, author: reader(), content: 'How many US troops are based in South Korea?' });
  expect((await fake.waitForRequest(replyTo(dm, id), 20_000)).body.content).toContain('28,000');
}

describe('shards in one process', () => {
  it('SHARDS=4: one client identifies four shards, answers in each shard’s guild and a DM, health lists them', async () => {
    const guilds = [0, 1, 2, 3].map((shard) => ({ id: snowflakeForShard(shard, 4), name: `guild-on-shard-${shard}`, channels: [{ id: snowflake() }] }));
    const fake = await FakeDiscord.start({ guilds, shards: 4 });
    const discord = testDiscordConfig({
      DISCORD_TOKEN: 'shard-token',
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      SHARDS: '4',
      HEALTH_PORT: '0',
    });
    const bot = await startBot({
      core,
      discord,
      embedder: await testEmbedder(),
      logger: createLogger({ write: () => undefined }),
      shards: { ids: [0, 1, 2, 3], count: 4 },
    });
    try {
      await fake.waitForReady(4);
      expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
        [0, 4],
        [1, 4],
        [2, 4],
        [3, 4],
      ]);
      // Each guild arrived on its own shard only (the fake routes by (guild_id >> 22) % 4).
      for (const [shard, guild] of guilds.entries()) expect(bot.client.guilds.cache.get(guild.id)?.shardId).toBe(shard);
      await askEveryShard(fake);

      const address = bot.health!.address() as AddressInfo;
      expect(address.address).toBe('127.0.0.1'); // loopback unless HEALTH_HOST says otherwise
      const health = await (await fetch(`http://127.0.0.1:${address.port}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok', shards: [0, 1, 2, 3].map((id) => ({ id, status: 'Ready', ready: true })) });
      const metrics = await (await fetch(`http://127.0.0.1:${address.port}/metrics`)).text();
      for (const id of [0, 1, 2, 3]) expect(metrics).toContain(`storydesk_shard_up{shard="${id}"} 1`);
    } finally {
      await bot.stop();
      await fake.close();
    }
  }, 60_000);
});

describe('shards over processes', () => {
  let fake: FakeDiscord;
  let parent: ChildProcess;
  let output = '';

  afterAll(async () => {
    if (parent && parent.exitCode === null) parent.kill('SIGKILL');
    await fake?.close();
  });

  it('SHARDS=auto SHARD_PROCESSES=2: two processes, one shard each, both answering; SIGTERM stops both with 0', async () => {
    const guilds = [0, 1].map((shard) => ({ id: snowflakeForShard(shard, 2), name: `guild-on-shard-${shard}`, channels: [{ id: snowflake() }] }));
    fake = await FakeDiscord.start({ guilds, shards: 2, heartbeatMs: 30_000 });
    parent = spawn(process.execPath, ['--import', 'tsx', 'src/discord/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_ENV,
        INDEX_DIR: core.indexDir,
        DISCORD_TOKEN: 'shard-token',
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        SHARDS: 'auto',
        SHARD_PROCESSES: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    parent.stdout!.on('data', (d) => (output += d));
    parent.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => parent.once('exit', resolve));
    await fake.waitForReady(2, 90_000);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await askEveryShard(fake);
    const started = output
      .split('\n')
      .filter((l) => l.includes('"shard_process_started"'))
      .map((l) => JSON.parse(l));
    expect(started.map((l) => l.shards).sort()).toEqual(['0', '1']);
    parent.kill('SIGTERM');
    expect(await exited, output.slice(-2000)).toBe(0);
    expect(fake.clientCloseCodes.filter((c) => c === 1000)).toHaveLength(2);
    expect(output).not.toContain('shard-token');
  }, 120_000);
});
