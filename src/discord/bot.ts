// Discord glue: turns mentions, DMs and commands into questions and renders the answer object.
// Everything about answering lives in src/answer; this file only routes, limits and replies.
import {
  Client,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { ask, type AnswerEngine } from '../answer/ask.js';
import type { Answer } from '../answer/types.js';
import type { DiscordConfig } from '../config.js';
import type { Logger } from '../log.js';
import { renderAnswerForDiscord, renderSourceList } from '../render/discord.js';
import { ASK_ABOUT_MESSAGE } from './commands.js';
import { RateLimiter, WorkQueue } from './limits.js';

/** Never ping anyone: not the asker, not @everyone, not a role or user named in a question or quote. */
const NO_PINGS = { parse: [], repliedUser: false } as const;

export const HELP_TEXT = [
  '**Story Desk** answers questions about the news story in its articles, quoting them word for word with numbered sources.',
  '• `/ask question:` — ask a question (add `private:True` so only you see the answer)',
  '• Mention me with a question in a channel, or send me a direct message',
  '• Right-click a message → Apps → **Ask about this message**',
  '• `/sources` — the articles I answer from',
  "If the articles don't say, I tell you so instead of guessing.",
].join('\n');

/** Mentions (of the bot, users, roles, channels, @everyone) say nothing about what is asked. */
function withoutMentions(text: string): string {
  return text.replace(/<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b/g, ' ');
}

const APOLOGY = 'Sorry, something went wrong while answering. Please try again in a moment.';

export function createDiscordClient(config: DiscordConfig, rest: ClientOptions['rest'] = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    // DM channels are not cached before their first message: without this partial, DMs never arrive.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    // Outside the ShardingManager, one connection; and discord.js must not read our SHARDS setting as a shard list.
    ...(process.env.SHARDING_MANAGER ? {} : { shards: [0], shardCount: 1 }),
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), ...rest },
  });
}

export interface BotHooks {
  /** Called once per question answered (or declined), for metrics. */
  onAnswer?(answer: Answer, via: 'mention' | 'dm' | 'slash' | 'context-menu', latencyMs: number): void;
  onError?(): void;
  /** Called when a question is turned away by the per-user rate limit. */
  onRateLimited?(via: 'mention' | 'dm' | 'slash' | 'context-menu'): void;
}

export function attachStoryDesk(client: Client, engine: AnswerEngine, config: DiscordConfig, logger: Logger, hooks: BotHooks = {}): void {
  const limiter = new RateLimiter(config.rateLimitCount, config.rateLimitWindowMs);
  const queue = new WorkQueue(config.maxConcurrentAnswers);

  const politeLimit = (waitMs: number) =>
    `You're asking faster than I can keep up with. Please wait ${Math.ceil(waitMs / 1000)} s and ask again (up to ${config.rateLimitCount} questions every ${Math.round(config.rateLimitWindowMs / 1000)} s).`;

  const answer = async (question: string, via: Parameters<NonNullable<BotHooks['onAnswer']>>[1]) => {
    const started = performance.now();
    const result = await queue.run(() => ask(engine, question));
    hooks.onAnswer?.(result, via, performance.now() - started);
    return result;
  };

  client.on('messageCreate', async (message) => {
    const me = client.user;
    if (!me || message.author.bot || message.author.id === me.id || message.system || message.webhookId) return;
    const inDm = !message.inGuild();
    if (!inDm && !message.mentions.users.has(me.id)) return;
    const via = inDm ? 'dm' : 'mention';
    const ids = { via, messageId: message.id, channelId: message.channelId, guildId: message.guildId ?? undefined, userId: message.author.id };
    try {
      const question = withoutMentions(message.content);
      if (!/[\p{L}\p{N}]/u.test(question)) {
        await message.reply({ content: HELP_TEXT, allowedMentions: NO_PINGS });
        logger.info('help', ids);
        return;
      }
      const wait = limiter.take(message.author.id);
      if (wait) {
        hooks.onRateLimited?.(via);
        await message.reply({ content: politeLimit(wait), allowedMentions: NO_PINGS });
        logger.info('rate_limited', ids);
        return;
      }
      void message.channel.sendTyping().catch(() => undefined);
      const started = performance.now();
      const result = await answer(question, via);
      await message.reply({ content: renderAnswerForDiscord(result), allowedMentions: NO_PINGS });
      logger.info('answered', { ...ids, outcome: result.status, latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      hooks.onError?.();
      logger.error('handler_failed', { ...ids, error: (error as Error).message });
      await message.reply({ content: APOLOGY, allowedMentions: NO_PINGS }).catch(() => undefined);
    }
  });

  client.on('interactionCreate', async (interaction: Interaction) => {
    if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand()) return;
    const ids = { via: interaction.commandName, interactionId: interaction.id, channelId: interaction.channelId ?? undefined, guildId: interaction.guildId ?? undefined, userId: interaction.user.id };
    try {
      if (interaction.isChatInputCommand() && interaction.commandName === 'help') {
        await interaction.reply({ content: HELP_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      } else if (interaction.isChatInputCommand() && interaction.commandName === 'sources') {
        const articles = engine.index().articles.map((a) => a.meta);
        await interaction.reply({ content: renderSourceList(articles), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      } else if (interaction.isChatInputCommand() && interaction.commandName === 'ask') {
        await answerInteraction(interaction, withoutMentions(interaction.options.getString('question', true)), interaction.options.getBoolean('private') ?? false, 'slash');
      } else if (interaction.isMessageContextMenuCommand() && interaction.commandName === ASK_ABOUT_MESSAGE) {
        await answerInteraction(interaction, withoutMentions(interaction.targetMessage.content), true, 'context-menu');
      } else {
        return;
      }
      logger.info('command', ids);
    } catch (error) {
      hooks.onError?.();
      logger.error('handler_failed', { ...ids, error: (error as Error).message });
      const reply = { content: APOLOGY, allowedMentions: NO_PINGS };
      await (interaction.deferred || interaction.replied ? interaction.editReply(reply) : interaction.reply({ ...reply, flags: MessageFlags.Ephemeral })).catch(() => undefined);
    }
  });

  async function answerInteraction(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, question: string, ephemeral: boolean, via: 'slash' | 'context-menu') {
    const wait = limiter.take(interaction.user.id);
    if (wait) {
      hooks.onRateLimited?.(via);
      await interaction.reply({ content: politeLimit(wait), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return;
    }
    // Acknowledge at once: the 3-second deadline holds even while the model is busy.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    const result = await answer(question, via);
    await interaction.editReply({ content: renderAnswerForDiscord(result), allowedMentions: NO_PINGS });
  }
}
