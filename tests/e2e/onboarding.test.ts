// First-run mistakes say what to do, and the process exits 1 whenever Discord closes for good:
// Message Content intent not enabled (4014, at login or later), a wrong token (4004 / 401),
// deploy-commands refused (401 / 403), Discord out of reach.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserFacingError } from '../../src/app.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { buildIndex } from '../../src/indexing/build.js';
import { copyCorpus, ROOT, tempDir, TEST_ENV, testConfig, testDiscordConfig, testEmbedder } from '../helpers.js';
import { FakeDiscord } from './fake-discord.js';

const TOKEN = 'right-token-SECRET';
const MESSAGE_CONTENT = 1 << 15;
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
let fake: FakeDiscord;
let work: { dir: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await tempDir();
  const core = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  await buildIndex(core, await testEmbedder());
  fake = await FakeDiscord.start();
  fake.token = TOKEN;
  env = {
    ...process.env,
    ...TEST_ENV,
    INDEX_DIR: core.indexDir,
    FEEDBACK_DB: path.join(work.dir, 'feedback.sqlite'),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
  };
});

afterAll(async () => {
  await fake?.close();
  await work?.cleanup();
});

/** npm start as a child: its exit code and everything it printed. `whenReady` runs once it is connected. */
function runBot(extraEnv: Record<string, string>, whenReady?: () => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['src/discord/main.ts'], { cwd: ROOT, env: { ...env, ...extraEnv } });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const collect = (d: Buffer) => {
      output += d;
      if (whenReady && output.includes('"event":"connected"')) {
        const ready = whenReady;
        whenReady = undefined;
        ready();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start', () => {
  it('4014 at login: exits 1 telling to turn on the Message Content Intent', async () => {
    fake.disallowedIntents = MESSAGE_CONTENT;
    const { code, output } = await runBot({});
    fake.disallowedIntents = 0;
    expect(code).toBe(1);
    expect(output).toContain('Error: Discord refused the Message Content intent (gateway close code 4014). Turn it on in the developer portal');
    expect(output).toContain('Bot → Privileged Gateway Intents → Message Content Intent');
    expect(output).not.toContain('Used disallowed intents');
    expect(output).not.toContain(TOKEN);
  }, 60_000);

  it('4014 hours later (the intent turned off while running): exits 1 with the same message, not a bot that never answers', async () => {
    const { code, output } = await runBot({}, () => fake.closeGateway(4014));
    expect(code).toBe(1);
    expect(output).toContain('"event":"gateway_fatal"');
    expect(output).toContain('Error: Discord refused the Message Content intent (gateway close code 4014)');
  }, 60_000);

  it('a wrong token: exits 1 saying DISCORD_TOKEN is wrong and how to reset it', async () => {
    const { code, output } = await runBot({ DISCORD_TOKEN: 'wrong-token-SECRET' });
    expect(code).toBe(1);
    expect(output).toContain('Error: Discord rejected the bot token: DISCORD_TOKEN is wrong or was reset.');
    expect(output).toContain('Bot → Reset Token');
    expect(output).not.toContain('An invalid token was provided');
    expect(output).not.toContain('wrong-token-SECRET');
  }, 60_000);
});

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm start when Discord cannot be reached', () => {
  it('exits 1 saying Discord did not answer and what to check, at login and when asking for a shard count', async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api`;
    for (const extra of [{}, { SHARDS: 'auto' }] as Record<string, string>[]) {
      const { code, output } = await runBot({ DISCORD_API_URL: apiUrl, ...extra });
      expect(code, JSON.stringify(extra)).toBe(1);
      expect(output).toContain(`Error: Cannot reach Discord: ${apiUrl} did not answer (ECONNREFUSED). Check DISCORD_API_URL (${apiUrl}): leave it unset`);
      expect(output).toContain('then start the bot again.');
      expect(output).not.toContain('Unexpected error');
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toContain(TOKEN);
    }
  }, 90_000);
});

describe('deploy-commands', () => {
  it('401: the token is wrong; 403: the application id, or the applications.commands scope; no answer: what to check', async () => {
    const config = testDiscordConfig({ DISCORD_TOKEN: 'wrong-token-SECRET', DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    const wrong = await deployCommands(config).catch((error: unknown) => error);
    // A user-facing error: the CLI prints its message alone and exits 1.
    expect(isUserFacingError(wrong)).toBe(true);
    expect((wrong as Error).message).toMatch(/^Discord answered 401 Unauthorized to registering the commands: Discord rejected the bot token/);
    fake.failNext((r) => r.method === 'PUT', { status: 403, body: { message: 'Missing Access', code: 50001 } });
    const refused = await deployCommands({ ...config, token: TOKEN, guildId: fake.guilds[0]!.id }).catch((error: unknown) => error);
    expect(isUserFacingError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(
      /^Discord answered 403 \(Missing Access\).*applications\.commands scope: https:\/\/discord\.com\/oauth2\/authorize\?client_id=/,
    );
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api`;
    const unreachable = await deployCommands({ ...config, token: TOKEN, apiUrl }).catch((error: unknown) => error);
    expect(isUserFacingError(unreachable)).toBe(true);
    expect((unreachable as Error).message).toBe(
      `Cannot reach Discord: ${apiUrl} did not answer (ECONNREFUSED). Check DISCORD_API_URL (${apiUrl}): leave it unset to use Discord itself, or start the server it names, then run npm run deploy-commands again.`,
    );
  });
});
