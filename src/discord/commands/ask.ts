// /ask question:<text> [private:True]
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { renderAnswerForDiscord } from '../../render/discord.js';
import { answerComponents } from '../buttons/answer-row.js';
import { NO_PINGS, politeLimit, withoutMarkup } from '../replies.js';
import { conversationKey, type BotContext } from '../context.js';
import type { Command, CommandInteraction } from './types.js';

/** Long enough for any real question, short enough to keep answers fast. */
export const QUESTION_MAX_LENGTH = 300;

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the story; the answer quotes the articles.')
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMinLength(1).setMaxLength(QUESTION_MAX_LENGTH))
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer'));

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const asked = interaction.options.getString('question', true);
  await answerInteraction(interaction, asked, interaction.options.getBoolean('private') ?? false, 'slash', ctx);
}

/**
 * /ask and the context-menu command: acknowledge at once, answer, edit the reply. The question as asked
 * heads the reply, so others in the channel know what is being answered.
 */
export async function answerInteraction(
  interaction: CommandInteraction,
  asked: string,
  ephemeral: boolean,
  via: 'slash' | 'context-menu',
  ctx: BotContext,
): Promise<void> {
  const { config } = ctx;
  const wait = ctx.answers.take(interaction.user.id, via);
  if (wait) {
    await interaction.reply({
      content: politeLimit(wait, config.rateLimitCount, config.rateLimitWindowMs),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return;
  }
  // Acknowledge at once: the 3-second deadline holds even while the model is busy.
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const conversation = conversationKey({
    channelId: interaction.channelId,
    userId: interaction.user.id,
    inDm: !interaction.inGuild(),
    inThread: interaction.channel?.isThread() ?? false,
  });
  const answered = await ctx.answers.answer(withoutMarkup(asked), via, { userId: interaction.user.id, conversation });
  const { answer, questionId } = answered;
  const sent = await interaction.editReply({
    content: renderAnswerForDiscord(answer, { heading: asked }),
    components: answerComponents(answer, questionId),
    allowedMentions: NO_PINGS,
  });
  ctx.answers.rememberAnswerMessage(sent.id, answered.question);
}

export default { data, execute } satisfies Command;
