// SHARDS=2: `npm start` becomes discord.js's ShardingManager with two shard processes, each answering in its own guild.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexing/build.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord, snowflake, snowflakeForShard, type RecordedRequest } from './fake-discord.js';

let fake: FakeDiscord;
let manager: ChildProcess;
let work: { dir: string; cleanup: () => Promise<void> };
let output = '';

beforeAll(async () => {
  work = await tempDir();
  const core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  await buildIndex(core, await testEmbedder());
  const guilds = [0, 1].map((shard) => ({ id: snowflakeForShard(shard, 2), name: `guild-on-shard-${shard}`, channels: [{ id: snowflake() }] }));
  fake = await FakeDiscord.start({ guilds, shards: 2 });
  manager = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/discord/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, INDEX_DIR: core.indexDir, DISCORD_TOKEN: 'shard-token', DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, SHARDS: 'auto' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  manager.stdout!.on('data', (d) => (output += d));
  manager.stderr!.on('data', (d) => (output += d));
  await fake.waitForReady(2, 60_000);
}, 90_000);

afterAll(async () => {
  if (manager && manager.exitCode === null) {
    const exited = new Promise((resolve) => manager.once('exit', resolve));
    manager.kill('SIGTERM');
    await exited;
  }
  await fake?.close();
  await work?.cleanup();
});

it('runs two shards, each identifying as its own shard and answering in its own guild', async () => {
  expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
  for (const guild of fake.guilds) {
    const channelId = guild.channels[0]!.id;
    const id = fake.sendMessage({ guildId: guild.id, channelId, author: { id: snowflake(), username: 'reader' }, content: `<@${fake.botUser.id}> What did Putin give Kim as a gift?`, mentions: [fake.botUser] });
    const reply = await fake.waitForRequest((r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.body?.message_reference?.message_id === id, 20_000);
    expect(reply.body.content).toContain('luxury car');
  }
  expect(output).toContain('shard_spawned');
  expect(output).not.toContain('shard-token');
}, 60_000);
