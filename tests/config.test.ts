import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCoreConfig, loadDiscordConfig } from '../src/config.js';
import { ROOT } from './helpers.js';

const DISCORD_OK = { DISCORD_TOKEN: 't', DISCORD_CLIENT_ID: '123456789012345678' };

describe('settings', () => {
  it('each bad value is refused with a message that names the setting', () => {
    const core: Record<string, string> = {
      EMBEDDING_QUANTIZED: 'maybe',
      EMBEDDING_BATCH_SIZE: '0',
      CHUNK_MAX_TOKENS: '10000',
      CHUNK_OVERLAP_SENTENCES: '1.5',
      ANSWER_MIN_CONFIDENCE: 'high',
      ANSWER_MAX_EXCERPTS: '-1',
      MAX_QUESTION_CHARS: 'lots',
      ARTICLE_PARSE_SECONDS: '0',
      ARTICLE_PARSE_MEMORY_MB: '16',
      ANSWER_MODEL: '../models/cross-encoder',
    };
    for (const [name, value] of Object.entries(core)) {
      expect(() => loadCoreConfig({ [name]: value }), name).toThrow(ConfigError);
      expect(() => loadCoreConfig({ [name]: value }), name).toThrow(new RegExp(`Setting ${name} must .*"${value}"`));
    }
    const discord: Record<string, string> = {
      DISCORD_CLIENT_ID: 'my-app',
      DISCORD_GUILD_ID: '12',
      DISCORD_API_URL: 'localhost:8080',
      RATE_LIMIT_COUNT: '0',
      RATE_LIMIT_WINDOW_SECONDS: 'x',
      MAX_CONCURRENT_ANSWERS: '1000',
      HEALTH_PORT: '70000',
      SHARDS: 'many',
      LOG_LEVEL: 'verbose',
    };
    for (const [name, value] of Object.entries(discord)) {
      expect(() => loadDiscordConfig({ ...DISCORD_OK, [name]: value }), name).toThrow(new RegExp(`Setting ${name} must`));
    }
  });

  it("reads ANSWER_MIN_CONFIDENCE as a probability from 0 to 1, empty for the scorer's own threshold", () => {
    expect(loadCoreConfig({}).answer.minConfidence).toBeNull();
    expect(loadCoreConfig({ ANSWER_MIN_CONFIDENCE: ' ' }).answer.minConfidence).toBeNull();
    expect(loadCoreConfig({ ANSWER_MIN_CONFIDENCE: '0' }).answer.minConfidence).toBe(0);
    expect(loadCoreConfig({ ANSWER_MIN_CONFIDENCE: '0.35' }).answer.minConfidence).toBe(0.35);
    expect(loadCoreConfig({ ANSWER_MIN_CONFIDENCE: '1' }).answer.minConfidence).toBe(1);
    // A score on the old scale or a percentage is refused, saying what the setting takes.
    for (const value of ['1.5', '-0.1', '35', '35%', 'NaN']) {
      expect(() => loadCoreConfig({ ANSWER_MIN_CONFIDENCE: value }), value).toThrow(ConfigError);
      expect(() => loadCoreConfig({ ANSWER_MIN_CONFIDENCE: value }), value).toThrow(
        `Setting ANSWER_MIN_CONFIDENCE must be a number from 0 to 1 (got "${value}").`,
      );
    }
  });

  it('names every missing Discord setting at once and where to find it', () => {
    expect(() => loadDiscordConfig({})).toThrow(/DISCORD_TOKEN \(.*Bot page\)\n {2}- DISCORD_CLIENT_ID \(.*General Information/);
    expect(() => loadDiscordConfig({ DISCORD_TOKEN: 't' })).toThrow(/^Missing setting:\n {2}- DISCORD_CLIENT_ID/);
  });

  it('defaults describe a working set-up', () => {
    const core = loadCoreConfig({});
    expect(core).toMatchObject({ corpusDir: path.resolve('corpus'), indexDir: path.resolve('.data/index'), chunker: { maxTokens: 160, overlapSentences: 1 } });
    expect(core.embedding).toMatchObject({ model: 'Xenova/all-MiniLM-L6-v2', localModelDir: null, quantized: true, batchSize: 8 });
    expect(core.parseBudget).toEqual({ timeMs: 30_000, memoryBytes: 512 * 2 ** 20 });
    // No cross-encoder unless ANSWER_MODEL names one (a hub id or a folder under MODEL_DIR).
    expect(core.answer.rerankModel).toBeNull();
    expect(loadCoreConfig({ ANSWER_MODEL: ' Xenova/ms-marco-MiniLM-L-6-v2 ' }).answer.rerankModel).toBe('Xenova/ms-marco-MiniLM-L-6-v2');
    expect(loadCoreConfig({ ARTICLE_PARSE_SECONDS: '2.5', ARTICLE_PARSE_MEMORY_MB: '128' }).parseBudget).toEqual({ timeMs: 2500, memoryBytes: 128 * 2 ** 20 });
    expect(loadDiscordConfig(DISCORD_OK)).toMatchObject({
      guildId: null,
      apiUrl: null,
      rateLimitCount: 5,
      rateLimitWindowMs: 30_000,
      maxConcurrentAnswers: 2,
      healthPort: null,
      healthHost: '127.0.0.1',
      shards: null,
      shardProcesses: null,
      logLevel: 'info',
    });
  });

  it('.env.example and the README settings table document every setting src/config.ts and the scripts read', async () => {
    const source = await readFile(path.join(ROOT, 'src/config.ts'), 'utf8');
    // STORY_DESK_* are set by the bot for its own shard processes, not by the operator.
    const read = new Set([...source.matchAll(/env(?:, '|\.)([A-Z][A-Z_]+)/g)].map((m) => m[1]!).filter((n) => !n.startsWith('STORY_DESK_')));
    expect(read.size).toBeGreaterThan(20);
    // Read outside the settings module: DEBUG, BENCH_MODEL, STORY_DESK_ENV_FILE (which file the settings come from).
    const files = (
      await Promise.all(['src', 'scripts'].map(async (dir) => (await readdir(path.join(ROOT, dir), { recursive: true })).map((f) => path.join(dir, f))))
    ).flat();
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      for (const m of (await readFile(path.join(ROOT, file), 'utf8')).matchAll(/process\.env\.([A-Z][A-Z_]+)/g)) read.add(m[1]!);
    }
    expect([...read]).toEqual(expect.arrayContaining(['DEBUG', 'BENCH_MODEL', 'STORY_DESK_ENV_FILE']));
    const example = await readFile(path.join(ROOT, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z_]+)=/gm)].map((m) => m[1]!));
    // STORY_DESK_ENV_FILE is set in the environment (it picks the file): shown as a comment.
    const commented = new Set([...example.matchAll(/^# ([A-Z][A-Z_]+)=/gm)].map((m) => m[1]!));
    expect([...read].filter((n) => !documented.has(n) && !commented.has(n))).toEqual([]);
    expect([...documented].filter((n) => !read.has(n))).toEqual([]);
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const settingsTable = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## Offline models'));
    expect([...read].filter((n) => !settingsTable.includes(`\`${n}\``))).toEqual([]);
  });
});
