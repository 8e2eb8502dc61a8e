// A mention in a channel or a direct message: a question, answered in a reply to that message.
import { Events } from 'discord.js';
import { renderAnswerForDiscord } from '../../render/discord.js';
import { answerComponents } from '../buttons/answer-row.js';
import { APOLOGY, HELP_TEXT, NO_PINGS, politeLimit, withoutMentions } from '../replies.js';
import { conversationKey } from '../context.js';
import { defineEvent } from './types.js';

export default defineEvent({
  name: Events.MessageCreate,
  async execute(ctx, message) {
    const { logger, config, hooks } = ctx;
    const me = message.client.user;
    if (!me || message.author.bot || message.author.id === me.id || message.system || message.webhookId) return;
    const inDm = !message.inGuild();
    // A reply to one of the bot's answers is addressed to it, ping or not.
    const repliesToMe = message.mentions.repliedUser?.id === me.id;
    if (!inDm && !repliesToMe && !message.mentions.users.has(me.id)) return;
    const via = inDm ? 'dm' : 'mention';
    const ids = { via, messageId: message.id, channelId: message.channelId, guildId: message.guildId ?? undefined, userId: message.author.id };
    try {
      const question = withoutMentions(message.content);
      if (!/[\p{L}\p{N}]/u.test(question)) {
        await message.reply({ content: HELP_TEXT, allowedMentions: NO_PINGS });
        logger.info('help', ids);
        return;
      }
      const wait = ctx.answers.take(message.author.id, via);
      if (wait) {
        await message.reply({ content: politeLimit(wait, config.rateLimitCount, config.rateLimitWindowMs), allowedMentions: NO_PINGS });
        logger.info('rate_limited', ids);
        return;
      }
      void message.channel.sendTyping().catch(() => undefined);
      const started = performance.now();
      const conversation = conversationKey({ channelId: message.channelId, userId: message.author.id, inDm, inThread: message.channel.isThread() });
      const replyTo = repliesToMe ? (message.reference?.messageId ?? null) : null;
      const answered = await ctx.answers.answer(question, via, { userId: message.author.id, conversation, replyTo });
      const { answer, questionId } = answered;
      const sent = await message.reply({ content: renderAnswerForDiscord(answer), components: answerComponents(answer, questionId), allowedMentions: NO_PINGS });
      ctx.answers.rememberAnswerMessage(sent.id, answered.question);
      logger.info('answered', { ...ids, outcome: answer.status, latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      hooks.onError?.();
      logger.error('handler_failed', { ...ids, error: (error as Error).message });
      await message.reply({ content: APOLOGY, allowedMentions: NO_PINGS }).catch(() => undefined);
    }
  },
});
