// Helpful / Not helpful: one vote per person per answer, a second click replaces the first. Answered at
// once (a SQLite write), well inside Discord's 3 seconds, and only to the one who clicked.
import { MessageFlags } from 'discord.js';
import { NO_PINGS } from '../replies.js';
import { VOTE } from './answer-row.js';
import type { Button } from './types.js';

export const TOO_OLD = 'This answer is too old to take feedback on any more. Ask again and rate the new answer.';

export default {
  prefix: VOTE,
  async execute(interaction, [id, value], ctx) {
    const questionId = Number(id);
    const helpful = value === '1';
    const result = Number.isSafeInteger(questionId) ? ctx.feedback.vote(questionId, interaction.user.id, helpful) : 'gone';
    const word = helpful ? 'helpful' : 'not helpful';
    const content = {
      recorded: `Thanks, noted as ${word}.${helpful ? '' : ' Editors see these answers in their report.'}`,
      changed: `Changed your vote to ${word}.`,
      unchanged: `You already marked this answer ${word}.`,
      gone: TOO_OLD,
    }[result];
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    ctx.logger.info('vote', { interactionId: interaction.id, questionId, helpful, result });
  },
} satisfies Button;
