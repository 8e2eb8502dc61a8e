// Discord glue: the client, and the command and event tables attached to it with the engine's facade.
// Everything about answering lives in src/answer behind src/desk.ts; this layer only routes, limits and replies.
import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { DiscordConfig } from '../config.js';
import type { StoryDesk } from '../desk.js';
import type { FeedbackStore } from '../feedback/store.js';
import type { Logger } from '../log.js';
import { Answerer, type BotContext, type BotHooks } from './context.js';
import { events } from './events/index.js';
import { InFlight } from './lifecycle.js';
import { NO_PINGS } from './replies.js';

export type { BotHooks } from './context.js';
export { HELP_TEXT } from './replies.js';

/** The shards one client runs: ids of this process, out of `count` in all. */
export interface ShardPlan {
  ids: number[];
  count: number;
}

export function createDiscordClient(config: DiscordConfig, rest: ClientOptions['rest'] = {}, shards: ShardPlan = { ids: [0], count: 1 }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    // DM channels are not cached before their first message: without this partial, DMs never arrive.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    // Several shards in one client share everything above the gateway: one model, one index, one REST queue.
    shards: shards.ids,
    shardCount: shards.count,
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), ...rest },
  });
}

export function attachStoryDesk(
  client: Client,
  desk: StoryDesk,
  feedback: FeedbackStore,
  config: DiscordConfig,
  logger: Logger,
  hooks: BotHooks = {},
): BotContext {
  const ctx: BotContext = { desk, config, logger, hooks, feedback, answers: new Answerer(desk, config, hooks, feedback), inFlight: new InFlight() };
  for (const event of events) {
    // Every handler is tracked, so a graceful stop can wait for the answers in flight.
    const listener = (...args: unknown[]) =>
      ctx.inFlight.run(args, async () => (event.execute as (ctx: BotContext, ...a: unknown[]) => Promise<void>)(ctx, ...args));
    if (event.once) client.once(event.name, listener);
    else client.on(event.name, listener);
  }
  return ctx;
}
