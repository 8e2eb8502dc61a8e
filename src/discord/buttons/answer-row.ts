// The buttons under an answer: More, Helpful, Not helpful.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Answer } from '../../answer/types.js';
import { customId } from './types.js';

export const MORE = 'more';
export const VOTE = 'vote';

export function answerButtons(questionId: number, options: { more: boolean }) {
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (options.more) row.addComponents(new ButtonBuilder().setCustomId(customId(MORE, questionId)).setLabel('More').setStyle(ButtonStyle.Secondary));
  row.addComponents(
    new ButtonBuilder()
      .setCustomId(customId(VOTE, questionId, 1))
      .setLabel('Helpful')
      .setEmoji('👍')
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(customId(VOTE, questionId, 0))
      .setLabel('Not helpful')
      .setEmoji('👎')
      .setStyle(ButtonStyle.Secondary),
  );
  return row;
}

/** Buttons go under answers that quote something; a decline has nothing to expand or rate. */
export function answerComponents(answer: Answer, questionId: number) {
  return answer.answered ? [answerButtons(questionId, { more: true })] : [];
}
