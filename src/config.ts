// Settings come from the environment (entry points read `.env` first: src/env-file.ts), validated once into typed objects.
// Every error names the setting and says what a valid value looks like.
import path from 'node:path';
import type { ParseBudget } from './corpus/budget.js';
import type { FeedbackSettings } from './feedback/store.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export interface EmbeddingConfig {
  /** Hub id or folder name under `localModelDir`, e.g. `Xenova/all-MiniLM-L6-v2`. */
  model: string;
  /** When set, models load only from this folder (transformers.js `env.localModelPath`), never from the hub. */
  localModelDir: string | null;
  cacheDir: string;
  quantized: boolean;
  queryPrefix: string;
  passagePrefix: string;
  batchSize: number;
}

export interface ChunkerConfig {
  maxTokens: number;
  overlapSentences: number;
}

export interface AnswerConfig {
  /** Decline below this chance that the first quote answers; null: the trained scorer's own threshold. */
  minConfidence: number | null;
  maxExcerpts: number;
  /** Quotes after the first stay within this many log-odds of it (not a setting: wider when a reader asks for More). */
  supportingGap?: number;
  maxQuestionChars: number;
  /**
   * ANSWER_MODEL: a transformers.js cross-encoder (hub id or folder name under `embedding.localModelDir`, loaded with
   * the embedding model's folder, cache and quantization settings) that re-orders the best candidate sentences
   * (src/answer/reranker.ts); null: the built-in scorer's order only.
   */
  rerankModel: string | null;
}

/** Fetching articles for `npm run add` and /add. */
export interface AddingConfig {
  /** Fetch from private, loopback and link-local addresses too (tests, an intranet CMS). Off by default. */
  allowPrivateUrls: boolean;
  fetchTimeoutMs: number;
}

export interface CoreConfig {
  corpusDir: string;
  /** Article files larger than this are skipped with their size and the limit. */
  articleMaxBytes: number;
  /** Time and memory one article file may take to parse (in a worker): a file over budget is refused. */
  parseBudget: ParseBudget;
  /** How long an index build waits for another one holding the index lock. */
  indexLockWaitMs: number;
  adding: AddingConfig;
  indexDir: string;
  embedding: EmbeddingConfig;
  chunker: ChunkerConfig;
  answer: AnswerConfig;
}

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function optionalText(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`Setting ${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`Setting ${name} must be a number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

/** Hub ids (`owner/name`) and folder names under MODEL_DIR: segments of letters, digits, `.`, `_` and `-`, none starting with a dot. */
const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)*$/;

function modelId(env: Env, name: string, example: string): string | null {
  const value = optionalText(env, name);
  if (value === null) return null;
  if (!MODEL_ID.test(value)) throw new ConfigError(`Setting ${name} must be a model id such as ${example}, or a folder name under MODEL_DIR (got "${value}").`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`Setting ${name} must be true or false (got "${env[name]}").`);
}

function oneOf<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`Setting ${name} must be one of ${choices.join(', ')} (got "${env[name]}").`);
}

export function loadCoreConfig(env: Env = process.env): CoreConfig {
  const model = text(env, 'EMBEDDING_MODEL', 'Xenova/all-MiniLM-L6-v2');
  const localModelDir = optionalText(env, 'MODEL_DIR');
  return {
    corpusDir: path.resolve(text(env, 'CORPUS_DIR', 'corpus')),
    // 6 MB: a 20 MB text article peaked at 1.2 GB resident while indexing, 8 MB at 622 MiB (npm run ops-report); 6 MB stayed under
    // 600 MiB (776 MiB since the parse worker has a heap of its own), and no news article or treaty text comes near it. Raise it for bigger files on a bigger machine.
    articleMaxBytes: Math.round(decimal(env, 'ARTICLE_MAX_MB', 6, 0.001, 1024) * 1024 * 1024),
    // Parsed in a worker thread, each file within a budget: a news page parses in well under a second and the largest
    // allowed text (6 MB) in a few; 30 s and 512 MB refuse what would take minutes or gigabytes (deep-nested
    // markup, a PDF stream that inflates to 1 GiB) while leaving room for a slow, busy machine.
    parseBudget: {
      timeMs: Math.round(decimal(env, 'ARTICLE_PARSE_SECONDS', 30, 1, 3600) * 1000),
      memoryBytes: integer(env, 'ARTICLE_PARSE_MEMORY_MB', 512, 64, 65536) * 2 ** 20,
    },
    indexLockWaitMs: integer(env, 'INDEX_LOCK_WAIT_SECONDS', 600, 0, 86400) * 1000,
    adding: {
      allowPrivateUrls: boolean(env, 'ADD_ALLOW_PRIVATE_URLS', false),
      fetchTimeoutMs: integer(env, 'ADD_FETCH_TIMEOUT_SECONDS', 20, 1, 600) * 1000,
    },
    indexDir: path.resolve(text(env, 'INDEX_DIR', '.data/index')),
    embedding: {
      model,
      localModelDir: localModelDir ? path.resolve(localModelDir) : null,
      cacheDir: path.resolve(text(env, 'MODEL_CACHE_DIR', '.data/models')),
      quantized: boolean(env, 'EMBEDDING_QUANTIZED', true),
      queryPrefix: env.QUERY_PREFIX ?? '',
      passagePrefix: env.PASSAGE_PREFIX ?? '',
      batchSize: integer(env, 'EMBEDDING_BATCH_SIZE', 8, 1, 256),
    },
    chunker: {
      maxTokens: integer(env, 'CHUNK_MAX_TOKENS', 160, 32, 480),
      overlapSentences: integer(env, 'CHUNK_OVERLAP_SENTENCES', 1, 0, 5),
    },
    answer: {
      minConfidence: env.ANSWER_MIN_CONFIDENCE?.trim() ? decimal(env, 'ANSWER_MIN_CONFIDENCE', 0, 0, 1) : null,
      maxExcerpts: integer(env, 'ANSWER_MAX_EXCERPTS', 3, 1, 10),
      maxQuestionChars: integer(env, 'MAX_QUESTION_CHARS', 500, 20, 4000),
      rerankModel: modelId(env, 'ANSWER_MODEL', 'Xenova/ms-marco-MiniLM-L-6-v2'),
    },
  };
}

export interface DiscordConfig {
  token: string;
  clientId: string;
  guildId: string | null;
  /** REST base URL (a proxy such as nirn-proxy, or the fake in tests); the gateway URL follows from it. */
  apiUrl: string | null;
  /** Where attachments are fetched from instead of Discord's CDN (the fake in tests); null: the URL Discord gives. */
  cdnUrl: string | null;
  rateLimitCount: number;
  rateLimitWindowMs: number;
  maxConcurrentAnswers: number;
  /** On SIGTERM/SIGINT, how long answers in flight may take before the bot stops anyway. */
  drainTimeoutMs: number;
  healthPort: number | null;
  /** SHARDS: how many shards in all (`auto`: Discord's advice); null = one. Inside one process they share one model and index. */
  shards: 'auto' | number | null;
  /** SHARD_PROCESSES: spread the shards over this many processes (each loads its own model and index). */
  shardProcesses: number | null;
  /** Set in a child process of SHARD_PROCESSES: the shard ids it runs. */
  shardList: number[] | null;
  /** HEALTH_HOST: where /healthz and /metrics listen; loopback unless an operator opens it up. */
  healthHost: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Members with this role may use the editor commands besides those with Manage Server (src/discord/editors.ts). */
  editorRoleId: string | null;
  /** How long a conversation's previous question is remembered for follow-ups. */
  followUpMemoryMs: number;
  feedback: FeedbackSettings;
}

const SNOWFLAKE = /^\d{17,20}$/;

export function loadDiscordConfig(env: Env = process.env): DiscordConfig {
  const missing: string[] = [];
  const token = optionalText(env, 'DISCORD_TOKEN');
  const clientId = optionalText(env, 'DISCORD_CLIENT_ID');
  if (!token) missing.push('DISCORD_TOKEN (the bot token from the Discord developer portal, Bot page)');
  if (!clientId) missing.push('DISCORD_CLIENT_ID (the application id, General Information page)');
  if (missing.length) {
    throw new ConfigError(
      `Missing setting${missing.length > 1 ? 's' : ''}:\n  - ${missing.join('\n  - ')}\nPut ${missing.length > 1 ? 'them' : 'it'} in .env (see .env.example).`,
    );
  }
  if (!SNOWFLAKE.test(clientId!)) throw new ConfigError(`Setting DISCORD_CLIENT_ID must be a numeric Discord id (got "${clientId}").`);
  const guildId = optionalText(env, 'DISCORD_GUILD_ID');
  if (guildId && !SNOWFLAKE.test(guildId)) throw new ConfigError(`Setting DISCORD_GUILD_ID must be a numeric Discord id (got "${guildId}").`);
  const editorRoleId = optionalText(env, 'EDITOR_ROLE_ID');
  if (editorRoleId && !SNOWFLAKE.test(editorRoleId))
    throw new ConfigError(
      `Setting EDITOR_ROLE_ID must be a numeric Discord role id (Server Settings → Roles → right-click → Copy Role ID; got "${editorRoleId}").`,
    );
  const apiUrl = optionalText(env, 'DISCORD_API_URL');
  if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl))
    throw new ConfigError(`Setting DISCORD_API_URL must be an http(s) URL such as http://localhost:8080/api (got "${apiUrl}").`);
  const cdnUrl = optionalText(env, 'DISCORD_CDN_URL');
  if (cdnUrl && !/^https?:\/\/[^\s]+$/.test(cdnUrl))
    throw new ConfigError(`Setting DISCORD_CDN_URL must be an http(s) URL such as http://localhost:8080/cdn (got "${cdnUrl}").`);
  // Each process of SHARD_PROCESSES serves health on its own port: HEALTH_PORT + its index (set by the parent).
  const processIndex = integer(env, 'STORY_DESK_PROCESS_INDEX', 0, 0, 1000);
  const healthPort = env.HEALTH_PORT?.trim() ? integer(env, 'HEALTH_PORT', 0, 0, 65535) + processIndex : null;
  const shardsRaw = optionalText(env, 'SHARDS');
  let shards: DiscordConfig['shards'] = null;
  if (shardsRaw === 'auto') shards = 'auto';
  else if (shardsRaw) shards = integer(env, 'SHARDS', 1, 1, 1000);
  const shardProcesses = env.SHARD_PROCESSES?.trim() ? integer(env, 'SHARD_PROCESSES', 1, 1, 1000) : null;
  if (shardProcesses !== null && shards === null)
    throw new ConfigError('Setting SHARD_PROCESSES needs SHARDS (auto or a number of shards to spread over the processes).');
  const listRaw = optionalText(env, 'STORY_DESK_SHARD_LIST');
  const shardList = listRaw ? listRaw.split(',').map(Number) : null;
  return {
    token: token!,
    clientId: clientId!,
    guildId,
    apiUrl: apiUrl ? apiUrl.replace(/\/+$/, '') : null,
    cdnUrl: cdnUrl ? cdnUrl.replace(/\/+$/, '') : null,
    rateLimitCount: integer(env, 'RATE_LIMIT_COUNT', 5, 1, 1000),
    rateLimitWindowMs: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 30, 1, 86400) * 1000,
    maxConcurrentAnswers: integer(env, 'MAX_CONCURRENT_ANSWERS', 2, 1, 64),
    drainTimeoutMs: Math.round(decimal(env, 'DRAIN_TIMEOUT_SECONDS', 10, 0, 600) * 1000),
    healthPort,
    healthHost: text(env, 'HEALTH_HOST', '127.0.0.1'),
    shards,
    shardProcesses,
    shardList,
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    editorRoleId,
    followUpMemoryMs: integer(env, 'FOLLOWUP_MEMORY_MINUTES', 10, 0, 1440) * 60_000,
    feedback: loadFeedbackConfig(env),
  };
}

/** Where questions, outcomes and votes are kept (the bot writes, `npm run report` reads). */
export function loadFeedbackConfig(env: Env = process.env): FeedbackSettings {
  return {
    file: path.resolve(text(env, 'FEEDBACK_DB', '.data/feedback.sqlite')),
    storeQuestionText: boolean(env, 'STORE_QUESTION_TEXT', true),
    retentionDays: integer(env, 'RETENTION_DAYS', 90, 1, 3650),
    salt: optionalText(env, 'FEEDBACK_SALT'),
  };
}
