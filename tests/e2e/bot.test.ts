// The bot end to end: real discord.js client, real model and index, a fake Discord on loopback.
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/discord/start.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { buildIndex } from '../../src/indexing/build.js';
import { copyCorpus, ROOT, tempDir, TEST_ENV, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord, snowflake, type RecordedRequest, replyTo } from './fake-discord.js';
import { startTestBot } from './start-bot.js';

const TOKEN = 'fake-token-SECRET-do-not-log';
let fake: FakeDiscord;
let bot: RunningBot;
let work: { dir: string; cleanup: () => Promise<void> };
const logLines: string[] = [];
let guildId: string;
let channelId: string;
const alice = { id: snowflake(), username: 'alice' };

/** An article whose answer cannot fit one message: a 3,000-character sentence full of markdown and mentions, long metadata. */
const OVERSIZED_TITLE = `Zeppelin hangar inventory ${'and a very long headline that goes on '.repeat(6)}`.trim();
const OVERSIZED_URL = `https://example.com/${'zeppelin-'.repeat(50)}`;
const OVERSIZED = `---
title: ${OVERSIZED_TITLE}
publisher: The Airship Gazette
date: 2024-06-21
url: ${OVERSIZED_URL}
---
The zeppelin hangar inventory listed ${Array.from({ length: 60 }, (_, i) => `crate ${i} of *marmalade* and [jam](http://x) for <@123> @everyone`).join(', ')}, all stored beside the airship mooring mast in Wonsan.

The zeppelin hangar inventory was checked again by the quartermaster of the airship mooring mast, who counted every crate of marmalade twice over to be sure.
`;

const run = promisify(execFile);
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
let core: ReturnType<typeof testConfig>;

const normalise = (text: string) => text.replace(/\s+/g, ' ');

beforeAll(async () => {
  work = await tempDir();
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  await writeFile(path.join(core.corpusDir, 'zeppelin.md'), OVERSIZED);
  const embedder = await testEmbedder();
  await buildIndex(core, embedder);
  fake = await FakeDiscord.start();
  guildId = fake.guilds[0]!.id;
  channelId = fake.guilds[0]!.channels[0]!.id;
  const discord = testDiscordConfig({
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    RATE_LIMIT_COUNT: '3',
    RATE_LIMIT_WINDOW_SECONDS: '60',
  });
  bot = await startTestBot({ core, discord, embedder, logLines });
  await fake.waitForReady();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await work?.cleanup();
});

let userCounter = 0;
/** A fresh user per test, so the per-user rate limit of one test does not leak into another. */
const newUser = () => ({ id: snowflake(), username: `user${++userCounter}` });

describe('Story Desk on (fake) Discord', () => {
  it('identifies with exactly the intents the README asks the operator to enable', () => {
    // Guilds 1, GuildMessages 512, DirectMessages 4096, MessageContent 32768.
    expect(fake.identifies[0]!.intents).toBe(1 | 512 | 4096 | 32768);
  });

  it('answers a guild mention with quotes and citations, and never lets the question ping', async () => {
    const messageId = fake.sendMessage({
      guildId,
      channelId,
      author: newUser(),
      content: `<@${fake.botUser.id}> What did Putin give Kim as a gift? @everyone <@${alice.id}>`,
      mentions: [fake.botUser, alice],
    });
    const reply = await fake.waitForRequest(replyTo(messageId));
    expect(reply.path).toBe(`/channels/${channelId}/messages`);
    expect(reply.body.content).toContain('luxury car');
    expect(reply.body.content).toMatch(/” \[1\]/);
    expect(reply.body.content).toContain('**Sources**');
    expect(reply.body.content).toContain('(<https://www.themoscowtimes.com/');
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    // An answer that comes at once spends no REST call on a typing indicator.
    expect(fake.requestsMatching((r) => r.path === `/channels/${channelId}/typing`)).toHaveLength(0);
  });

  it('answers a direct message', async () => {
    const dmChannel = snowflake();
    const messageId = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: 'How many US troops are based in South Korea?' });
    const reply = await fake.waitForRequest(replyTo(messageId));
    expect(reply.path).toBe(`/channels/${dmChannel}/messages`);
    expect(reply.body.content).toContain('28,000');
    // Typed as people chat: the greeting and the laughter are not part of the question; thanks alone asks for one.
    const chatty = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: 'hey bot, how many US troops are based in South Korea?? lol' });
    expect((await fake.waitForRequest(replyTo(chatty))).body.content).toContain('28,000');
    const emoji = fake.sendMessage({
      channelId: dmChannel,
      author: newUser(),
      content: 'how many US troops are based in South Korea <:thinking:123456789012345678>',
    });
    expect((await fake.waitForRequest(replyTo(emoji))).body.content).toContain('28,000');
    // Formatting and shouting are read as the reader saw them: the words, in any case.
    const shouted = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: '> **HOW MANY US TROOPS ARE BASED IN ||SOUTH KOREA||???**' });
    expect((await fake.waitForRequest(replyTo(shouted))).body.content).toContain('28,000');
    // The bot's name typed without a mention, and asking the room after the question, are no question words.
    const named = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: '@Story Desk how many US troops are based in South Korea? anyone?' });
    expect((await fake.waitForRequest(replyTo(named))).body.content).toBe((await fake.waitForRequest(replyTo(messageId))).body.content);
    // A timestamp is read as the date Discord shows ("on Wednesday" in the report of June 19 meets it), not as a number.
    const timestamp = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: 'What did Putin and Kim sign on <t:1718755200:D>?' });
    expect((await fake.waitForRequest(replyTo(timestamp))).body.content).toMatch(/signed a mutual defen[cs]e (?:agreement|pact) on Wednesday/);
    // A statement before the question: answered as the question, and the reply says how it was read.
    const preamble = fake.sendMessage({
      channelId: dmChannel,
      author: newUser(),
      content: 'I keep reading about the alliance. How many US troops are based in South Korea?',
    });
    const read = (await fake.waitForRequest(replyTo(preamble))).body.content;
    expect(read).toContain('28,000');
    expect(read).toContain('*Read as: How many US troops are based in South Korea?*');
    const thanks = fake.sendMessage({ channelId: dmChannel, author: newUser(), content: 'thanks!' });
    const prompt = (await fake.waitForRequest(replyTo(thanks))).body.content;
    expect(prompt).toMatch(/^Ask me something about/);
    expect(prompt).not.toContain('” [');
  });

  it('answers /ask by deferring at once and then editing the reply; private:true is ephemeral', async () => {
    const user = newUser();
    const open = fake.sendInteraction({
      guildId,
      channelId,
      user,
      commandName: 'ask',
      options: [{ name: 'question', type: 3, value: 'Which carmaker made the car Putin gave Kim?' }],
    });
    const deferred = await fake.waitForRequest((r) => r.path === `/interactions/${open.id}/${open.token}/callback`);
    expect(deferred.body).toMatchObject({ type: 5 });
    expect(deferred.body.data?.flags ?? 0).toBe(0);
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${open.token}/messages/@original`);
    expect(edit.body.content).toContain('Aurus');
    // The question heads the reply, so the channel knows what is answered; then the quote (said to only touch on it
    // when the scorer's chance is below one half: "gave" where the article says "gifted").
    expect(edit.body.content).toMatch(/^\*\*Q:\*\* Which carmaker made the car Putin gave Kim\?\n(The articles only touch on this:\n)?> “/);
    expect(edit.at).toBeGreaterThanOrEqual(deferred.at);
    expect(edit.body.allowed_mentions).toMatchObject({ parse: [] });

    const hidden = fake.sendInteraction({
      guildId,
      channelId,
      user,
      commandName: 'ask',
      options: [
        { name: 'question', type: 3, value: 'What did Kim call Putin?' },
        { name: 'private', type: 5, value: true },
      ],
    });
    const hiddenDefer = await fake.waitForRequest((r) => r.path === `/interactions/${hidden.id}/${hidden.token}/callback`);
    expect(hiddenDefer.body).toMatchObject({ type: 5, data: { flags: 64 } });
    await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(hidden.token));
  });

  it("links each citation to its quote: decoded, the text fragment is the quote's first and last words", async () => {
    const asked = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'ask',
      options: [{ name: 'question', type: 3, value: 'What did Kim pledge about Ukraine?' }],
    });
    const content: string = (await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(asked.token))).body.content;
    const fragments = [...content.matchAll(/^\[(\d+)\] \[[^\]]*\]\(<([^>]+)>\)/gm)].filter((m) => m[2]!.includes('#:~:text='));
    expect(fragments.length).toBeGreaterThan(0);
    const moscowTimes = normalise(
      await readFile(path.join(core.corpusDir, '2024-06-19-themoscowtimes-russia-north-korea-sign-mutual-defense-deal.md'), 'utf8'),
    );
    for (const [, n, url] of fragments) {
      const terms = url!.split('#:~:text=')[1]!.split(',').map(decodeURIComponent);
      const shown = new RegExp(`^> “…?(.*?)…?” \\[${n}\\]$`, 'm').exec(content)![1]!.replace(/\\(.)/g, '$1');
      expect(shown.startsWith(terms[0]!)).toBe(true);
      for (const term of terms) expect(moscowTimes).toContain(term);
    }
  });

  it('lists the sources, explains itself, and answers the message context-menu command', async () => {
    const user = newUser();
    const sources = fake.sendInteraction({ guildId, channelId, user, commandName: 'sources' });
    const listed = await fake.waitForRequest((r) => r.path === `/interactions/${sources.id}/${sources.token}/callback`);
    expect(listed.body.data.content).toContain('Russia, North Korea Sign Mutual Defense Deal');
    expect(listed.body.data.content).toContain('Putin and Kim sign defence pact amid growing western tension');
    const help = fake.sendInteraction({ channelId: snowflake(), user, commandName: 'help' });
    expect((await fake.waitForRequest((r) => r.path === `/interactions/${help.id}/${help.token}/callback`)).body.data.content).toContain('/ask');
    const target = { id: snowflake(), content: 'Where did the welcoming ceremony take place?', author: alice };
    const menu = fake.sendInteraction({ guildId, channelId, user, commandName: 'Ask about this message', targetMessage: target });
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(menu.token));
    expect(edit.body.content).toContain('Kim Il Sung Square');
    expect(edit.body.content).toMatch(/^\*\*Q:\*\* Where did the welcoming ceremony take place\?\n/);
  });

  it('sends nothing for messages without a mention, from bots, or from itself', async () => {
    const before = fake.requests.length;
    const ignored = [
      fake.sendMessage({ guildId, channelId, author: newUser(), content: 'What did Putin and Kim sign?' }),
      fake.sendMessage({
        guildId,
        channelId,
        author: { id: snowflake(), username: 'otherbot', bot: true },
        content: `<@${fake.botUser.id}> What did Putin sign?`,
        mentions: [fake.botUser],
      }),
      fake.sendMessage({ guildId, channelId, author: fake.botUser, content: `<@${fake.botUser.id}> talking to myself`, mentions: [fake.botUser] }),
    ];
    // A later question that is answered proves the ignored ones had their chance to produce a request.
    const control = fake.sendMessage({
      guildId,
      channelId,
      author: newUser(),
      content: `<@${fake.botUser.id}> Who is Kim Sung-bae?`,
      mentions: [fake.botUser],
    });
    await fake.waitForRequest(replyTo(control));
    const sent = fake.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(sent.filter((r) => ignored.some((id) => r.body?.message_reference?.message_id === id))).toEqual([]);
    expect(sent.filter((r) => r.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('says the articles do not cover an off-topic question, and helps on an empty mention', async () => {
    const offTopic = fake.sendMessage({
      guildId,
      channelId,
      author: newUser(),
      content: `<@${fake.botUser.id}> How do I bake bread?`,
      mentions: [fake.botUser],
    });
    const reply = await fake.waitForRequest(replyTo(offTopic));
    expect(reply.body.content).toMatch(/^The articles don't say\./);
    expect(reply.body.content).not.toContain('” [');
    const empty = fake.sendMessage({ guildId, channelId, author: newUser(), content: `<@${fake.botUser.id}>`, mentions: [fake.botUser] });
    expect((await fake.waitForRequest(replyTo(empty))).body.content).toContain('/ask');
  });

  it('refuses the question past the per-user rate limit politely', async () => {
    const user = newUser();
    const ids = Array.from({ length: 4 }, (_, i) => fake.sendMessage({ channelId: snowflake(), author: user, content: `What did Kim call Putin? (${i})` }));
    const replies = await Promise.all(ids.map((id) => fake.waitForRequest(replyTo(id))));
    expect(replies.slice(0, 3).every((r) => r.body.content.includes('dearest friend'))).toBe(true);
    expect(replies[3]!.body.content).toMatch(/asking faster than I can keep up.*Please wait \d+ s/);
    // Then silence until the window ends: a spammer's messages cost no REST calls.
    const more = [4, 5].map((i) => fake.sendMessage({ channelId: snowflake(), author: user, content: `What did Kim call Putin? (${i})` }));
    const other = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Kim call Putin?' });
    await fake.waitForRequest(replyTo(other)); // handled after the two before it
    for (const id of more) expect(fake.requestsMatching(replyTo(id))).toHaveLength(0);
  });

  it('trims an answer that would overflow to fit one message, keeping the citation whole', async () => {
    const id = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What was in the zeppelin hangar inventory?' });
    const reply = (await fake.waitForRequest(replyTo(id))).body.content as string;
    expect(reply.length).toBeLessThanOrEqual(2000);
    // Markdown went at indexing; the mention syntax left in the text is escaped and @everyone defused.
    expect(reply).toContain('crate 0 of marmalade and jam for \\<@123> \\@everyone, crate 1');
    expect(reply).toMatch(/…” \[1\]/);
    expect(reply).toContain(`\n**Sources**\n[1] [Zeppelin hangar inventory and a very long headline`);
    expect(reply).toContain(`](<${OVERSIZED_URL}>) — The Airship Gazette, 2024-06-21`);
  });

  it('answers with a short apology when a handler fails, and keeps serving', async () => {
    const id = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What did Kim call Putin?' });
    fake.failNext(replyTo(id), { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    await expect
      .poll(() => fake.requestsMatching(replyTo(id)).map((r) => r.body.content), { timeout: 10_000 })
      .toEqual([expect.stringContaining('dearest friend'), expect.stringMatching(/^Sorry, something went wrong/)]);
    const user = newUser();
    const slash = fake.sendInteraction({
      guildId,
      channelId,
      user,
      commandName: 'ask',
      options: [{ name: 'question', type: 3, value: 'What did Kim call Putin?' }],
    });
    const edit = (r: RecordedRequest) => r.method === 'PATCH' && r.path.includes(slash.token);
    fake.failNext(edit, { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    await expect
      .poll(() => fake.requestsMatching(edit).map((r) => r.body.content), { timeout: 10_000 })
      .toEqual([expect.stringContaining('dearest friend'), expect.stringMatching(/^Sorry, something went wrong/)]);
    expect(
      logLines
        .map((l) => JSON.parse(l))
        .filter((l) => l.event === 'handler_failed')
        .map((l) => l.messageId ?? l.interactionId),
    ).toEqual([id, slash.id]);
  });

  it('keeps every reply within Discord limits: the fake refused nothing', () => {
    expect(fake.refused).toEqual([]);
    for (const r of fake.requests.filter((r) => r.body?.content !== undefined || r.body?.data?.content !== undefined)) {
      expect((r.body.content ?? r.body.data.content).length).toBeLessThanOrEqual(2000);
    }
  });

  it('reconnects after the gateway drops and answers the next question', async () => {
    const readyBefore = fake.readyCount;
    fake.closeGateway(4000);
    await fake.waitForReady(readyBefore + 1);
    const messageId = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'Where was the welcoming ceremony held?' });
    expect((await fake.waitForRequest(replyTo(messageId))).body.content).toContain('Kim Il Sung Square');
  });

  it('never logs the token or message text', () => {
    expect(logLines.length).toBeGreaterThan(5);
    const all = logLines.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('luxury car');
    expect(all).not.toContain('bake bread');
    expect(logLines.every((l) => typeof JSON.parse(l).event === 'string')).toBe(true);
  });

  it('deploy-commands registers the command schema, per guild or globally', async () => {
    const guildScoped = testDiscordConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: guildId,
    });
    expect(await deployCommands(guildScoped)).toEqual({ scope: `guild ${guildId}`, count: 7 });
    const put = await fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/guilds/${guildId}/commands`);
    const ask = put.body.find((c: any) => c.name === 'ask');
    expect(ask.options).toEqual([
      expect.objectContaining({ name: 'question', type: 3, required: true, max_length: 300 }),
      expect.objectContaining({ name: 'private', type: 5 }),
    ]);
    expect(put.body.map((c: any) => [c.name, c.type ?? 1])).toEqual([
      ['ask', 1],
      ['sources', 1],
      ['help', 1],
      ['Ask about this message', 3],
      ['report', 1],
      ['add', 1],
      ['remove', 1],
    ]);
    // Editor commands are hidden from members without Manage Server unless a server changes that.
    for (const editorOnly of ['report', 'add', 'remove']) expect(put.body.find((c: any) => c.name === editorOnly).default_member_permissions).toBe('32');
    await deployCommands({ ...guildScoped, guildId: null });
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/commands`);
  });

  it('npm run deploy-commands is idempotent: run twice, the same seven commands stay registered', async () => {
    const env = { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: '' };
    const first = await run(tsx, ['scripts/deploy-commands.ts'], { cwd: ROOT, env });
    expect(first.stdout).toContain('Registered 7 commands (global');
    const once = structuredClone(fake.commands.get('global'));
    const second = await run(tsx, ['scripts/deploy-commands.ts'], { cwd: ROOT, env });
    expect(second.stdout).toContain('Registered 7 commands (global');
    const twice = fake.commands.get('global')!;
    expect(twice.map(({ version, ...c }: any) => c)).toEqual(once!.map(({ version, ...c }: any) => c));
    expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain(TOKEN);
  });

  it('npm start shuts down cleanly on SIGTERM and SIGINT: gateway closed normally, exit code 0, token never printed', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const readyBefore = fake.readyCount;
      const closesBefore = fake.clientCloseCodes.length;
      const child = spawn(tsx, ['src/discord/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...TEST_ENV,
          INDEX_DIR: core.indexDir,
          DISCORD_TOKEN: TOKEN,
          DISCORD_CLIENT_ID: fake.applicationId,
          DISCORD_API_URL: fake.apiUrl,
          LOG_LEVEL: 'debug',
        },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await fake.waitForReady(readyBefore + 1, 30_000);
      await expect.poll(() => output, { timeout: 10_000 }).toContain('"event":"connected"');
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(fake.clientCloseCodes.slice(closesBefore)).toEqual([1000]);
      expect(output).toContain(`"event":"shutdown","signal":"${signal}"`);
      expect(output).not.toContain(TOKEN);
      // The model is warmed and the index loaded before going online.
      expect(output.indexOf('"event":"index_loaded"')).toBeGreaterThan(-1);
      expect(output.indexOf('"event":"index_loaded"')).toBeLessThan(output.indexOf('"event":"connected"'));
    }
  }, 90_000);
});
