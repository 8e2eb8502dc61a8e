// npm start: runs the bot until SIGINT/SIGTERM. With SHARDS set, this process becomes discord.js's
// ShardingManager and runs this same file once per shard, each a child process with its own connection.
import '../env-file.js';
import { ShardingManager } from 'discord.js';
import { fileURLToPath } from 'node:url';
import { exitWithError } from '../app.js';
import { loadCoreConfig, loadDiscordConfig, type DiscordConfig } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { startBot, type RunningBot } from './start.js';

try {
  const discord = loadDiscordConfig();
  const logger = createLogger({ level: discord.logLevel });
  if (discord.shards !== null && !process.env.SHARDING_MANAGER) await runShardManager(discord, logger);
  else await runBot(discord, logger);
} catch (error) {
  exitWithError(error);
}

async function runBot(discord: DiscordConfig, log: Logger) {
  let bot: RunningBot | null = null;
  bot = await startBot({
    core: loadCoreConfig(),
    discord,
    logger: log,
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

async function runShardManager(discord: DiscordConfig, log: Logger) {
  const totalShards = discord.shards === 'auto' ? await recommendedShards(discord) : discord.shards!;
  const manager = new ShardingManager(fileURLToPath(import.meta.url), {
    totalShards,
    token: discord.token,
    mode: 'process',
    // Shards run this TypeScript file directly, as `npm start` does.
    execArgv: ['--import', 'tsx'],
    respawn: true,
  });
  manager.on('shardCreate', (shard) => log.info('shard_spawned', { shard: shard.id, of: totalShards }));
  onShutdown(log, async () => {
    for (const shard of manager.shards.values()) shard.kill();
  });
  await manager.spawn({ timeout: 120_000 });
}

/** Discord's advice for this bot (GET /gateway/bot), asked of DISCORD_API_URL when set. */
async function recommendedShards(discord: DiscordConfig): Promise<number> {
  const base = discord.apiUrl ?? 'https://discord.com/api';
  const response = await fetch(`${base}/v10/gateway/bot`, { headers: { Authorization: `Bot ${discord.token}` } });
  if (!response.ok) throw new Error(`GET /gateway/bot answered ${response.status}: cannot pick a shard count (set SHARDS to a number).`);
  const { shards } = (await response.json()) as { shards: number };
  return Math.max(1, shards);
}

function onShutdown(logger: Logger, stop: () => Promise<void>) {
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second signal while draining means "now": the operator has waited long enough.
    if (stopping) {
      logger.warn('shutdown_forced', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutdown', { signal });
    await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
