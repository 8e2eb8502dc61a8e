// A mention in a channel or a direct message: a question, answered in a reply to that message.
import { Events } from 'discord.js';
import { renderAnswerForDiscord } from '../../render/discord.js';
import { answerComponents } from '../buttons/answer-row.js';
import { conversationKey } from '../context.js';
import { RESTARTING } from '../lifecycle.js';
import { APOLOGY, HELP_TEXT, NO_PINGS, once, politeLimit, withoutMarkup } from '../replies.js';
import { defineEvent } from './types.js';

/** Answers faster than this need no typing indicator: it would cost a REST call for nothing. */
const TYPING_AFTER_MS = 1000;

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
      if (!ctx.inFlight.accepting) {
        await message.reply({ content: RESTARTING, allowedMentions: NO_PINGS, ...once() });
        logger.info('refused_stopping', ids);
        return;
      }
      const question = withoutMarkup(message.content, [me.username, me.globalName, message.guild?.members.me?.displayName]);
      if (!/[\p{L}\p{N}]/u.test(question)) {
        await message.reply({ content: HELP_TEXT, allowedMentions: NO_PINGS, ...once() });
        logger.info('help', ids);
        return;
      }
      const wait = ctx.answers.take(message.author.id, via);
      if (wait) {
        // One notice per window, then silence: a spammer's messages cost no REST calls.
        const notice = ctx.answers.noticeDue(message.author.id);
        if (notice) await message.reply({ content: politeLimit(wait, config.rateLimitCount, config.rateLimitWindowMs), allowedMentions: NO_PINGS, ...once() });
        logger.info('rate_limited', { ...ids, notice });
        return;
      }
      const typing = setTimeout(() => void message.channel.sendTyping().catch(() => undefined), TYPING_AFTER_MS);
      const started = performance.now();
      const conversation = conversationKey({ channelId: message.channelId, userId: message.author.id, inDm, inThread: message.channel.isThread() });
      const replyTo = repliesToMe ? (message.reference?.messageId ?? null) : null;
      const answered = await ctx.answers.answer(question, via, { userId: message.author.id, conversation, replyTo }).finally(() => clearTimeout(typing));
      const { answer, questionId } = answered;
      const sent = await message.reply({
        content: renderAnswerForDiscord(answer),
        components: answerComponents(answer, questionId),
        allowedMentions: NO_PINGS,
        ...once(),
      });
      ctx.answers.rememberAnswerMessage(sent.id, answered.question);
      logger.info('answered', { ...ids, outcome: answer.status, latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      hooks.onError?.();
      logger.error('handler_failed', { ...ids, error: (error as Error).message });
      await message.reply({ content: APOLOGY, allowedMentions: NO_PINGS, ...once() }).catch(() => undefined);
    }
  },
});
