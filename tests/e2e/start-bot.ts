// The real bot as the end-to-end tests start it: the caller's configs and model, log lines kept in an array (or
// dropped), the REST client unthrottled (the fake Discord answers at once); resolved once the client is ready.
import { startBot, type RunningBot, type StartOptions } from '../../src/discord/start.js';
import { createLogger } from '../../src/log.js';

export async function startTestBot({ logLines, ...options }: Omit<StartOptions, 'logger'> & { logLines?: string[] }): Promise<RunningBot> {
  const bot = await startBot({
    logger: createLogger(logLines ? { json: true, write: (l) => logLines.push(l) } : { write: () => undefined }),
    rest: { globalRequestsPerSecond: 10_000 },
    ...options,
  });
  await new Promise<void>((resolve) => (bot.client.isReady() ? resolve() : bot.client.once('clientReady', () => resolve())));
  return bot;
}
