// npm start: runs the bot until SIGINT/SIGTERM.
import { exitWithError } from '../app.js';
import { loadCoreConfig, loadDiscordConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startBot } from './start.js';

const logger = createLogger({ level: process.env.LOG_LEVEL });

try {
  const core = loadCoreConfig();
  const discord = loadDiscordConfig();
  const bot = await startBot({ core, discord, logger });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown', { signal });
    await bot.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  exitWithError(error);
}
