// Conversations on (fake) Discord: buttons under answers (More, Helpful, Not helpful) recorded in the real
// SQLite file and working after a restart, follow-ups in DMs, threads and replies, /sources paging, /report.
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreConfig, DiscordConfig } from '../../src/config.js';
import type { Embedder } from '../../src/embed/embedder.js';
import type { RunningBot } from '../../src/discord/start.js';
import { buildIndex } from '../../src/indexing/build.js';
import { copyCorpus, tempDir, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord, snowflake, type FakeMessageRef, replyTo, callbackOf, editOf, customIds } from './fake-discord.js';
import { startTestBot } from './start-bot.js';

let fake: FakeDiscord;
let bot: RunningBot;
let core: CoreConfig;
let discord: DiscordConfig;
let embedder: Embedder;
let work: { dir: string; cleanup: () => Promise<void> };
let guildId: string;
let channelId: string;
let threadId: string;
let dbFile: string;
const logLines: string[] = [];

let users = 0;
const newUser = () => ({ id: snowflake(), username: `reader${++users}` });

async function start(): Promise<RunningBot> {
  return startTestBot({ core, discord, embedder, logLines });
}

/**
 * Until the bot has logged its answer to a message: it remembers which question an answer message answers once
 * Discord has returned the message's id, a moment after the fake records the request (a reader takes longer).
 */
async function answerLogged(messageId: string): Promise<void> {
  const logged = () => logLines.some((line) => line.includes('"event":"answered"') && line.includes(`"messageId":"${messageId}"`));
  for (let tries = 0; !logged(); tries++) {
    if (tries > 500) throw new Error(`no "answered" log for message ${messageId}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Asks with /ask and returns the bot's edited reply and a reference to click its buttons on. */
async function askSlash(question: string, user = newUser(), where: { channelId?: string; channelType?: number } = {}) {
  const interaction = fake.sendInteraction({
    guildId,
    channelId: where.channelId ?? channelId,
    channelType: where.channelType,
    user,
    commandName: 'ask',
    options: [{ name: 'question', type: 3, value: question }],
  });
  const edit = await fake.waitForRequest(editOf(interaction));
  const message: FakeMessageRef = { id: snowflake(), author: fake.botUser, content: edit.body.content, components: edit.body.components };
  return { edit, message, user };
}

function rows(sql: string, ...params: unknown[]): any[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  work = await tempDir();
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  embedder = await testEmbedder();
  await buildIndex(core, embedder);
  guildId = snowflake();
  channelId = snowflake();
  threadId = snowflake();
  fake = await FakeDiscord.start({
    guilds: [{ id: guildId, channels: [{ id: channelId, name: 'news' }], threads: [{ id: threadId, parentId: channelId, name: 'treaty' }] }],
  });
  dbFile = path.join(work.dir, 'feedback', 'feedback.sqlite');
  discord = testDiscordConfig({
    DISCORD_TOKEN: 'conversation-token',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    FEEDBACK_DB: dbFile,
    RATE_LIMIT_COUNT: '100',
  });
  bot = await start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await work?.cleanup();
});

describe('buttons under an answer', () => {
  it('Helpful / Not helpful: acknowledged within 3 s, stored in the SQLite file, a second vote replaces the first', async () => {
    const { edit, message } = await askSlash('What did Putin give Kim as a gift?');
    const ids = customIds(edit.body);
    expect(ids).toEqual([expect.stringMatching(/^more:\d+$/), expect.stringMatching(/^vote:\d+:1$/), expect.stringMatching(/^vote:\d+:0$/)]);
    const questionId = Number(ids[0]!.split(':')[1]);
    // Stored as the reader saw it: answered, or answered with "The articles only touch on this" (chance below one half).
    const outcome = /The articles only touch on this/.test(edit.body.content) ? 'low-confidence' : 'answered';
    expect(rows('SELECT question, outcome, via FROM questions WHERE id = ?', questionId)).toEqual([
      { question: 'What did Putin give Kim as a gift?', outcome, via: 'slash' },
    ]);

    const voter = newUser();
    const clicked = Date.now();
    const up = fake.clickButton({ guildId, channelId, user: voter, customId: ids[1]!, message });
    const ack = await fake.waitForRequest(callbackOf(up));
    expect(ack.at - clicked).toBeLessThan(3000);
    expect(ack.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^Thanks, noted as helpful/) } });
    const down = fake.clickButton({ guildId, channelId, user: voter, customId: ids[2]!, message });
    expect((await fake.waitForRequest(callbackOf(down))).body.data.content).toBe('Changed your vote to not helpful.');
    const other = fake.clickButton({ guildId, channelId, user: newUser(), customId: ids[2]!, message });
    await fake.waitForRequest(callbackOf(other));

    const votes = rows('SELECT user_hash, helpful FROM votes WHERE question_id = ? ORDER BY voted_at', questionId);
    expect(votes).toHaveLength(2); // replaced, not doubled
    expect(votes.map((v) => v.helpful)).toEqual([0, 0]);
    // Only a salted hash of the user id is stored.
    expect(JSON.stringify(rows('SELECT * FROM votes'))).not.toContain(voter.id);
    expect(votes[0].user_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('More: the next quotes, only to the one who clicked, deferred at once; and still after a restart', async () => {
    const { edit, message } = await askSlash('What did Putin and Kim sign?');
    const more = customIds(edit.body)[0]!;
    const firstQuotes = [...String(edit.body.content).matchAll(/^> “(.*)” \[\d+\]$/gm)].map((m) => m[1]);

    const clicked = Date.now();
    const click = fake.clickButton({ guildId, channelId, user: newUser(), customId: more, message });
    const ack = await fake.waitForRequest(callbackOf(click));
    expect(ack.at - clicked).toBeLessThan(3000);
    expect(ack.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const expanded: string = (await fake.waitForRequest(editOf(click))).body.content;
    expect(expanded).toMatch(/^> “/);
    expect(expanded).toContain('**Sources**\n[1] ');
    for (const quote of firstQuotes) expect(expanded).not.toContain(quote);

    // A restart: a new process on the same database file, the old buttons still work.
    await bot.stop();
    bot = await start();
    const after = fake.clickButton({ guildId, channelId, user: newUser(), customId: more, message });
    expect((await fake.waitForRequest(editOf(after))).body.content).toBe(expanded);
    // An answer that is no longer stored (retention, another database) gets a polite word, not an error.
    const gone = fake.clickButton({ guildId, channelId, user: newUser(), customId: 'more:987654321', message });
    expect((await fake.waitForRequest(editOf(gone))).body.content).toBe('This answer is too old to expand. Ask the question again for a fresh answer.');
    const goneVote = fake.clickButton({ guildId, channelId, user: newUser(), customId: 'vote:987654321:1', message });
    expect((await fake.waitForRequest(callbackOf(goneVote))).body.data.content).toMatch(/too old/);
  });

  it('an answer to a mention carries the buttons too; a decline carries none', async () => {
    const asked = fake.sendMessage({
      guildId,
      channelId,
      author: newUser(),
      content: `<@${fake.botUser.id}> Where was the welcoming ceremony held?`,
      mentions: [fake.botUser],
    });
    expect(customIds((await fake.waitForRequest(replyTo(asked))).body)).toHaveLength(3);
    const off = fake.sendMessage({ guildId, channelId, author: newUser(), content: `<@${fake.botUser.id}> How do I bake bread?`, mentions: [fake.botUser] });
    const declined = await fake.waitForRequest(replyTo(off));
    expect(declined.body.content).toMatch(/^The articles don't say/);
    expect(customIds(declined.body)).toEqual([]);
    expect(rows("SELECT COUNT(*) AS n FROM questions WHERE outcome = 'declined'")[0].n).toBeGreaterThan(0);
  });
});

describe('follow-ups', () => {
  const mention = `<@${'BOT'}>`;
  const ask = (where: { guildId?: string; channelId: string }, author: { id: string; username: string }, content: string) =>
    fake.sendMessage({
      ...where,
      author,
      content: where.guildId ? content.replace(mention, `<@${fake.botUser.id}>`) : content,
      mentions: where.guildId ? [fake.botUser] : [],
    });
  const reply = async (id: string) => (await fake.waitForRequest(replyTo(id))).body.content as string;

  it('in a DM, a question that points back is read with the previous one, and says how it was read', async () => {
    const dm = { channelId: snowflake() };
    const reader = newUser();
    expect(await reply(ask(dm, reader, 'Where did Putin meet Kim?'))).not.toContain('Read as');
    const followUp = await reply(ask(dm, reader, 'and what did he say about sanctions?'));
    expect(followUp).toMatch(/^\*Read as: what did Putin say about sanctions\*\n/);
    expect(followUp).toMatch(/^> “[^\n]*Putin[^\n]*sanctions/m);
    // Thanks in between is no question of its own: the next follow-up still points back past it, chat and all.
    expect(await reply(ask(dm, reader, 'thanks!'))).toMatch(/^Ask me something about/);
    expect(await reply(ask(dm, reader, 'thx, and what did he say about Ukraine? lol'))).toMatch(/^\*Read as: what did Putin say about Ukraine\*\n/);
    // A question that stands on its own is read on its own.
    expect(await reply(ask(dm, reader, 'Where was the welcoming ceremony held?'))).not.toContain('Read as');
    // A statement beside a question is set aside, and is not part of what a follow-up is read with.
    expect(await reply(ask(dm, reader, 'I keep reading about the summit. What did Kim call Putin?'))).toMatch(/^\*Read as: What did Kim call Putin\?\*\n/);
    expect(await reply(ask(dm, reader, 'why?'))).toMatch(/^\*Read as: why did Kim call Putin\*\n/);
    expect(rows("SELECT question, read_as FROM questions WHERE question = 'and what did he say about sanctions?'")).toEqual([
      { question: 'and what did he say about sanctions?', read_as: 'what did Putin say about sanctions' },
    ]);
  });

  it("in a thread, each person's follow-up is read with their own previous question, never another's", async () => {
    const thread = { guildId, channelId: threadId };
    const [alice, bob] = [newUser(), newUser()];
    await reply(ask(thread, alice, `${mention} Where did Putin meet Kim?`));
    await reply(ask(thread, bob, `${mention} What did Kim call Putin?`));
    expect(await reply(ask(thread, alice, `${mention} what did he say about sanctions?`))).toMatch(/^\*Read as: what did Putin say about sanctions\*/);
    expect(await reply(ask(thread, bob, `${mention} what did he say about sanctions?`))).toMatch(/^\*Read as: what did Kim say about sanctions\*/);
    // In the channel itself (not a thread), a mention has no conversation memory.
    const channel = { guildId, channelId };
    await reply(ask(channel, alice, `${mention} Where did Putin meet Kim?`));
    expect(await reply(ask(channel, alice, `${mention} what did he say about sanctions?`))).not.toContain('Read as');
  });

  it("a reply to one of the bot's answers, even without a mention, is read with that answer's question", async () => {
    const asked = ask({ guildId, channelId }, newUser(), `${mention} What did Putin give Kim?`);
    const answer = await fake.waitForRequest(replyTo(asked));
    await answerLogged(asked);
    const followUp = fake.sendMessage({
      guildId,
      channelId,
      author: newUser(),
      content: 'why?',
      replyTo: { id: answer.createdId!, author: fake.botUser, content: answer.body.content },
    });
    expect(await reply(followUp)).toMatch(/^\*Read as: why did Putin give Kim\*/);
  });

  it('a follow-up with /ask in a DM is read the same way', async () => {
    const dm = snowflake();
    const user = newUser();
    const first = fake.sendInteraction({
      channelId: dm,
      user,
      commandName: 'ask',
      options: [{ name: 'question', type: 3, value: 'Where did Putin meet Kim?' }],
    });
    await fake.waitForRequest(editOf(first));
    const second = fake.sendInteraction({
      channelId: dm,
      user,
      commandName: 'ask',
      options: [{ name: 'question', type: 3, value: 'what did he say about sanctions?' }],
    });
    expect((await fake.waitForRequest(editOf(second))).body.content).toMatch(
      /^\*\*Q:\*\* what did he say about sanctions\?\n\*Read as: what did Putin say about sanctions\*\n/,
    );
  });
});

describe('/report', () => {
  it('shows editors what was not covered, in messages that fit; others get a polite refusal', async () => {
    const offTopic = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'How do I bake sourdough bread at home?' });
    await fake.waitForRequest(replyTo(offTopic));
    const editor = fake.sendInteraction({ guildId, channelId, user: newUser(), commandName: 'report', options: [{ name: 'since', type: 3, value: '1d' }] });
    expect((await fake.waitForRequest(callbackOf(editor))).body).toMatchObject({ type: 5, data: { flags: 64 } });
    const shown: string = (await fake.waitForRequest(editOf(editor))).body.content;
    expect(shown).toMatch(/^\*\*Story Desk report\*\* · /);
    expect(shown).toContain('**Not covered by the articles**');
    expect(shown).toMatch(/\*\*\d+×\*\* “How do I bake (sourdough )?bread/);
    expect(shown).toContain('**Voted not helpful**');

    const member = fake.sendInteraction({ guildId, channelId, user: newUser(), commandName: 'report', permissions: '0' });
    expect((await fake.waitForRequest(callbackOf(member))).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/^Only editors can do that/) },
    });
  });

  it('EDITOR_ROLE_ID lets members of that role in without Manage Server', async () => {
    const role = snowflake();
    fake.guilds[0]!.roles = [{ id: role, name: 'editors' }];
    await bot.stop();
    discord = { ...discord, editorRoleId: role };
    bot = await start();
    const withRole = fake.sendInteraction({ guildId, channelId, user: newUser(), commandName: 'report', permissions: '0', roles: [role] });
    expect((await fake.waitForRequest(editOf(withRole))).body.content).toMatch(/^\*\*Story Desk report\*\*/);
  });
});

describe('/sources', () => {
  it('pages through every article with Previous / Next, newest first with dates, and filters by publisher', async () => {
    // Enough articles for more than one page (ten per page), picked up through the facade's reload.
    for (let i = 1; i <= 11; i++) {
      const day = String(i).padStart(2, '0');
      await writeFile(
        path.join(core.corpusDir, `garden-${day}.md`),
        `---\ntitle: Allotment notes ${day}\npublisher: Garden Weekly\ndate: 2023-05-${day}\n---\nThe allotment society planted ${i} rows of runner beans beside the greenhouse.\n`,
      );
    }
    await buildIndex(core, embedder);
    expect((await bot.desk.reload()).articles).toBe(13);
    const user = newUser();
    const listed = fake.sendInteraction({ guildId, channelId, user, commandName: 'sources' });
    const first = (await fake.waitForRequest(callbackOf(listed))).body;
    expect(first).toMatchObject({ type: 4, data: { flags: 64 } });
    const lines: string[] = first.data.content.split('\n');
    expect(lines[0]).toBe('**Articles I answer from** (13, newest first) · page 1 of 2');
    expect(lines.slice(1, 3)).toEqual([
      expect.stringMatching(/^\[1\] Putin and Kim sign defence pact .* — 2024-06-19$/),
      expect.stringMatching(/^\[2\] \[Russia, North Korea Sign Mutual Defense Deal.* — themoscowtimes\.com, 2024-06-19$/),
    ]);
    expect(lines.at(-1)).toBe('[10] Allotment notes 04 — Garden Weekly, 2023-05-04');
    const [previous, next] = first.data.components[0].components;
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false });

    const message = { id: snowflake(), author: fake.botUser, content: first.data.content, components: first.data.components };
    const clicked = Date.now();
    const paged = fake.clickButton({ guildId, channelId, user, customId: next.custom_id, message });
    const second = await fake.waitForRequest(callbackOf(paged));
    expect(second.at - clicked).toBeLessThan(3000);
    expect(second.body.type).toBe(7); // the list is updated in place
    expect(second.body.data.content.split('\n')).toEqual([
      '**Articles I answer from** (13, newest first) · page 2 of 2',
      '[11] Allotment notes 03 — Garden Weekly, 2023-05-03',
      '[12] Allotment notes 02 — Garden Weekly, 2023-05-02',
      '[13] Allotment notes 01 — Garden Weekly, 2023-05-01',
    ]);
    expect(second.body.data.components[0].components.map((b: any) => b.disabled)).toEqual([false, true]);

    const filtered = fake.sendInteraction({ guildId, channelId, user, commandName: 'sources', options: [{ name: 'publisher', type: 3, value: 'moscow' }] });
    const only = (await fake.waitForRequest(callbackOf(filtered))).body.data;
    expect(only.content.split('\n')).toHaveLength(2);
    expect(only.content).toMatch(/^\*\*Articles I answer from\*\* from publishers matching “moscow” \(1, newest first\)\n\[1\] /);
    expect(only.components ?? []).toEqual([]);
  });
});
