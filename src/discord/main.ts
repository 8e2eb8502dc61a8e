// npm start: runs the bot until SIGINT/SIGTERM. All SHARDS run in this one process on one discord.js client,
// sharing one model and one index; with SHARD_PROCESSES=p this process starts p copies of itself, each
// running its share of the shards (and each loading its own model and index).
import '../env-file.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitWithError } from '../app.js';
import { loadCoreConfig, loadDiscordConfig, type DiscordConfig } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import type { ShardPlan } from './bot.js';
import { discordUnreachable } from './onboarding.js';
import { startBot, type RunningBot } from './start.js';

try {
  const discord = loadDiscordConfig();
  const logger = createLogger({ level: discord.logLevel });
  const count = discord.shards === 'auto' ? await recommendedShards(discord) : (discord.shards ?? 1);
  if (discord.shardList) await runBot(discord, logger, { ids: discord.shardList, count });
  else if (discord.shardProcesses && discord.shardProcesses > 1) runShardProcesses(discord, logger, count);
  else await runBot(discord, logger, { ids: Array.from({ length: count }, (_, i) => i), count });
} catch (error) {
  exitWithError(error);
}

async function runBot(discord: DiscordConfig, log: Logger, shards: ShardPlan) {
  let bot: RunningBot | null = null;
  bot = await startBot({
    core: loadCoreConfig(),
    discord,
    logger: log,
    shards,
    // During login the rejected login() says it (exitWithError below); later, this ends the process.
    onFatal: (error) => {
      if (!bot) return;
      console.error(`Error: ${error.message}`);
      void bot.stop().finally(() => process.exit(1));
    },
  });
  const running = bot;
  onShutdown(log, () => running.stop());
}

/** Shard i goes to process i mod p: each process gets every p-th shard. */
function shardLists(count: number, processes: number): number[][] {
  const lists: number[][] = Array.from({ length: Math.min(processes, count) }, () => []);
  for (let shard = 0; shard < count; shard++) lists[shard % lists.length]!.push(shard);
  return lists;
}

/** SHARD_PROCESSES: this file again per process with its shard list; signals passed on, a crashed one restarted. */
function runShardProcesses(discord: DiscordConfig, log: Logger, count: number) {
  const lists = shardLists(count, discord.shardProcesses!);
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const spawnChild = (index: number) => {
    const env = { ...process.env, STORY_DESK_SHARD_LIST: lists[index]!.join(','), STORY_DESK_PROCESS_INDEX: String(index), SHARDS: String(count) };
    // Run as `npm start` runs this file: with the in-thread TypeScript hooks.
    const child = fork(fileURLToPath(import.meta.url), [], { env, execArgv: ['--import', new URL('../../scripts/ts-hooks.mjs', import.meta.url).href] });
    children.set(index, child);
    log.info('shard_process_started', { process: index, pid: child.pid, shards: lists[index]!.join(','), of: count });
    child.on('exit', (code, signal) => {
      children.delete(index);
      if (stopping) {
        if (!children.size) process.exit(0);
        return;
      }
      // A crash is restarted after a pause (no tight loop); bad settings exit 1 at once and would fail again.
      log.error('shard_process_exited', { process: index, code, signal: signal ?? undefined });
      if (code === 1) process.exit(1);
      setTimeout(() => spawnChild(index), 5_000).unref();
    });
  };
  for (let index = 0; index < lists.length; index++) spawnChild(index);
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('shutdown', { signal, processes: children.size });
    // Each child drains its own questions (DRAIN_TIMEOUT_SECONDS) and exits 0.
    for (const child of children.values()) child.kill(signal);
    if (!children.size) process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Discord's advice for this bot (GET /gateway/bot), asked of DISCORD_API_URL when set. */
async function recommendedShards(discord: DiscordConfig): Promise<number> {
  const base = discord.apiUrl ?? 'https://discord.com/api';
  const response = await fetch(`${base}/v10/gateway/bot`, { headers: { Authorization: `Bot ${discord.token}` } }).catch((error: unknown) => {
    throw discordUnreachable(error, discord.apiUrl) ?? error;
  });
  if (!response.ok) throw new Error(`GET /gateway/bot answered ${response.status}: cannot pick a shard count (set SHARDS to a number).`);
  const { shards } = (await response.json()) as { shards: number };
  return Math.max(1, shards);
}

/**
 * One stop often arrives twice: systemd and a terminal's Ctrl-C signal the whole process group, and `npm start`
 * (npm forwards SIGINT and SIGTERM to its script) or the SHARD_PROCESSES parent passes the same signal on. A repeat
 * is that same stop, not an order to hurry: SIGTERM never cuts the drain short (DRAIN_TIMEOUT_SECONDS bounds it; a
 * supervisor that will not wait sends SIGKILL), and only a SIGINT more than a second after the first — the operator
 * pressing Ctrl-C again — exits at once.
 */
const REPEAT_SIGNAL_MS = 1000;

function onShutdown(logger: Logger, stop: () => Promise<void>) {
  let stoppedAt = 0;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stoppedAt) {
      if (signal === 'SIGINT' && Date.now() - stoppedAt > REPEAT_SIGNAL_MS) {
        logger.warn('shutdown_forced', { signal });
        process.exit(1);
      }
      logger.info('shutdown_signal_repeated', { signal });
      return;
    }
    stoppedAt = Date.now();
    logger.info('shutdown', { signal });
    await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
