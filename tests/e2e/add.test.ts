// /add and /remove on (fake) Discord: an editor adds a page served from 127.0.0.1 and a PDF attachment
// (fetched from the fake CDN via DISCORD_CDN_URL), a DM question is answered from the new article, a
// non-editor is refused, and /remove takes an article back. The real bot, index and model.
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreConfig } from '../../src/config.js';
import type { RunningBot } from '../../src/discord/start.js';
import { buildIndex } from '../../src/indexing/build.js';
import { copyCorpus, ROOT, tempDir, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { makePdf } from '../pdf-fixture.js';
import { send, servePages } from '../serve-pages.js';
import { FakeDiscord, snowflake, replyTo, callbackOf, editOf } from './fake-discord.js';
import { startTestBot } from './start-bot.js';

let fake: FakeDiscord;
let bot: RunningBot;
let core: CoreConfig;
let work: { dir: string; cleanup: () => Promise<void> };
let site: Awaited<ReturnType<typeof servePages>>;
let guildId: string;
let channelId: string;
const logLines: string[] = [];
let users = 0;
const newUser = () => ({ id: snowflake(), username: `editor${++users}` });

/** Three different pages with the same headline and date: three editors add them at once. */
const SAILINGS = ['morning', 'noon', 'evening'];
const waiting: (() => void)[] = [];
function sailingPage(fixture: string, i: number): string {
  return fixture
    .replaceAll('Port Alder and Bremmin sign a harbour deal &amp; a ferry pact', 'Estuary ferry timetable agreed')
    .replaceAll('2025-03-04T09:30:00+01:00', '2025-04-01T08:00:00+01:00')
    .replace('2025/03/04/harbour-deal', `2025/04/01/timetable-${i}`)
    .replace(
      '<h2>Fishermen cautious</h2>',
      `<p>The ${SAILINGS[i]} sailing will leave the north quay at ${7 + 5 * i}:15 every day.</p><h2>Fishermen cautious</h2>`,
    );
}

beforeAll(async () => {
  work = await tempDir();
  const fixture = await readFile(path.join(ROOT, 'tests/fixtures/formats/news-page.html'), 'utf8');
  site = await servePages({
    '/2025/03/04/harbour-deal': send('text/html; charset=utf-8', fixture),
    // Each page answered once all three are asked for: the three adds then race from the same moment.
    ...Object.fromEntries(
      SAILINGS.map((_, i) => [
        `/2025/04/01/timetable-${i}`,
        (req: IncomingMessage, res: ServerResponse) => {
          waiting.push(() => send('text/html; charset=utf-8', sailingPage(fixture, i))(req, res));
          if (waiting.length === SAILINGS.length) for (const answer of waiting.splice(0)) answer();
        },
      ]),
    ),
  });
  // Pages come from 127.0.0.1 here, so the setting that allows private addresses is on.
  core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index'), ADD_ALLOW_PRIVATE_URLS: 'true' });
  const embedder = await testEmbedder();
  await buildIndex(core, embedder);
  guildId = snowflake();
  channelId = snowflake();
  fake = await FakeDiscord.start({ guilds: [{ id: guildId, channels: [{ id: channelId, name: 'newsdesk' }] }] });
  const discord = testDiscordConfig({
    DISCORD_TOKEN: 'add-token',
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_CDN_URL: fake.cdnUrl,
    FEEDBACK_DB: path.join(work.dir, 'feedback.sqlite'),
    RATE_LIMIT_COUNT: '100',
  });
  bot = await startTestBot({ core, discord, embedder, logLines });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await site?.close();
  await work?.cleanup();
});

describe('/add', () => {
  it('an editor adds a page by its link; the reply says what was added; a DM question is answered from it', async () => {
    const add = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'add',
      permissions: '32',
      options: [{ name: 'url', type: 3, value: `${site.origin}/2025/03/04/harbour-deal` }],
    });
    expect((await fake.waitForRequest(callbackOf(add))).body).toMatchObject({ type: 5, data: { flags: 64 } });
    const reply = (await fake.waitForRequest(editOf(add), 30_000)).body;
    expect(reply.content).toMatch(
      /^Added: “Port Alder and Bremmin sign a harbour deal & a ferry pact” — The Coastal Ledger, 2025-03-04 \(\d+ chunks?\) as added\/2025-03-04-port-alder-and-bremmin-sign-a-harbour-deal-a-ferry-pact\.html\nThe bot answers from it now\.$/,
    );
    expect(reply.allowed_mentions).toMatchObject({ parse: [] });

    const question = fake.sendMessage({ channelId: snowflake(), author: newUser(), content: 'What will Bremmin lease to the Port Alder fleet?' });
    const answer = (await fake.waitForRequest(replyTo(question))).body.content as string;
    expect(answer).toMatch(/six (deep-water )?berths/);
    expect(answer).toContain('The Coastal Ledger, 2025-03-04');
    expect(logLines.map((l) => JSON.parse(l)).some((l) => l.event === 'article_added' && l.status === 'added')).toBe(true);
  });

  it('an editor adds a PDF attachment, fetched from the CDN address Discord gives', async () => {
    const pdf = Buffer.from(
      await makePdf({
        title: 'Harbour Statement',
        created: new Date('2025-03-06T08:00:00Z'),
        heading: 'Statement',
        pages: [['The harbour master said the new ferry pier will open in July with room for two boats.']],
      }),
    );
    const file = fake.attachment({ channelId, optionName: 'file', name: 'statement.pdf', contentType: 'application/pdf', bytes: pdf });
    const add = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'add',
      permissions: '32',
      options: [file.option],
      resolved: file.resolved,
    });
    const reply = (await fake.waitForRequest(editOf(add), 30_000)).body.content as string;
    expect(reply).toMatch(/^Added: “Harbour Statement” — publisher unknown, 2025-03-06 \(1 chunk\) as added\/2025-03-06-harbour-statement\.pdf\n/);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path.startsWith(`/cdn/attachments/${channelId}/`) && r.path.endsWith('/statement.pdf'))).toBe(
      true,
    );
    expect(bot.desk.sources().map((s) => s.title)).toContain('Harbour Statement');
  });

  it('three editors adding pages with the same title and date at once get three files, each told its own', async () => {
    const adds = SAILINGS.map((_, i) =>
      fake.sendInteraction({
        guildId,
        channelId,
        user: newUser(),
        commandName: 'add',
        permissions: '32',
        options: [{ name: 'url', type: 3, value: `${site.origin}/2025/04/01/timetable-${i}` }],
      }),
    );
    const replies = await Promise.all(adds.map(async (add) => (await fake.waitForRequest(editOf(add), 60_000)).body.content as string));
    const told = replies.map(
      (reply) => /^Added: “Estuary ferry timetable agreed” — .* as (added\/2025-04-01-estuary-ferry-timetable-agreed(?:-\d)?\.html)\n/.exec(reply)?.[1],
    );
    expect(told.every(Boolean), replies.join('\n')).toBe(true);
    expect(new Set(told).size).toBe(3);
    // Each file holds the page its editor added, and nothing else is in the folder.
    for (const [i, file] of told.entries()) expect(await readFile(path.join(core.corpusDir, file!), 'utf8')).toContain(`The ${SAILINGS[i]} sailing`);
    const onDisk = (await readdir(path.join(core.corpusDir, 'added'))).filter((name) => name.includes('timetable'));
    expect(onDisk.filter((name) => !name.startsWith('.')).sort()).toEqual(told.map((f) => path.basename(f!)).sort());
    expect(onDisk.filter((name) => name.startsWith('.adding-'))).toEqual([]);
    expect(bot.desk.sources().filter((s) => s.title === 'Estuary ferry timetable agreed')).toHaveLength(3);
  });

  it('says exactly why not, and refuses everyone who is not an editor', async () => {
    const nothing = fake.sendInteraction({ guildId, channelId, user: newUser(), commandName: 'add', permissions: '32' });
    expect((await fake.waitForRequest(callbackOf(nothing))).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/^Give a link \(`url`\) or attach a file/) },
    });
    const broken = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'add',
      permissions: '32',
      options: [{ name: 'url', type: 3, value: `${site.origin}/missing` }],
    });
    expect((await fake.waitForRequest(editOf(broken), 30_000)).body.content).toBe(
      `Not added: ${site.origin}/missing: ${site.origin}/missing answered HTTP 404 Not Found`,
    );
    const reader = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'add',
      permissions: '0',
      options: [{ name: 'url', type: 3, value: `${site.origin}/2025/03/04/harbour-deal` }],
    });
    expect((await fake.waitForRequest(callbackOf(reader))).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/^Only editors can do that/) },
    });
    const remover = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'remove',
      permissions: '0',
      options: [{ name: 'article', type: 3, value: 'Harbour Statement' }],
    });
    expect((await fake.waitForRequest(callbackOf(remover))).body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/^Only editors can do that/) },
    });
  });
});

describe('/remove', () => {
  it('an editor removes an added article by its title; the bot stops citing it', async () => {
    const remove = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'remove',
      permissions: '32',
      options: [{ name: 'article', type: 3, value: 'Harbour Statement' }],
    });
    expect((await fake.waitForRequest(editOf(remove), 30_000)).body.content).toBe(
      'Removed: “Harbour Statement” (added/2025-03-06-harbour-statement.pdf). The bot no longer answers from it.',
    );
    expect(bot.desk.sources().map((s) => s.title)).not.toContain('Harbour Statement');
    const base = fake.sendInteraction({
      guildId,
      channelId,
      user: newUser(),
      commandName: 'remove',
      permissions: '32',
      options: [{ name: 'article', type: 3, value: 'Putin and Kim sign defence pact amid growing western tension' }],
    });
    expect((await fake.waitForRequest(editOf(base), 30_000)).body.content).toMatch(
      /^Not removed: “Putin and Kim sign defence pact amid growing western tension” \(.*\) was not added from Discord or npm run add/,
    );
  });
});
