// Helpful / Not helpful: one vote per person per answer with buttons, a second click replaces the first.
// Answered at once (the write is queued), well inside Discord's 3 seconds, and only to the one who clicked.
import { MessageFlags } from 'discord.js';
import { NO_PINGS } from '../replies.js';
import { VOTE } from './answer-row.js';
import type { Button } from './types.js';

export const TOO_OLD = 'This answer is too old to take feedback on any more. Ask again and rate the new answer.';
export const NOT_RATEABLE = 'Only answers that quote the articles can be rated.';
export const VOTING_TOO_FAST = "You're rating faster than anyone reads: please wait a minute before rating more answers.";

export default {
  prefix: VOTE,
  async execute(interaction, [id, value], ctx) {
    // Rate-limited like questions; past the limit one notice, then clicks are ignored (a flood costs no call).
    if (ctx.answers.takeVote(interaction.user.id)) {
      if (ctx.answers.voteNoticeDue(interaction.user.id))
        await interaction.reply({ content: VOTING_TOO_FAST, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return;
    }
    // Only what answerButtons makes (`vote:<id>:<1|0>`): anything else is a forged click, refused like an
    // answer no longer stored.
    const valid = /^[1-9]\d{0,15}$/.test(id ?? '') && (value === '1' || value === '0');
    const questionId = Number(id);
    const helpful = value === '1';
    const result = valid && Number.isSafeInteger(questionId) ? ctx.feedback.vote(questionId, interaction.user.id, helpful) : 'gone';
    const word = helpful ? 'helpful' : 'not helpful';
    const content = {
      recorded: `Thanks, noted as ${word}.${helpful ? '' : ' Editors see these answers in their report.'}`,
      changed: `Changed your vote to ${word}.`,
      unchanged: `You already marked this answer ${word}.`,
      gone: TOO_OLD,
      'not-rateable': NOT_RATEABLE,
    }[result];
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    ctx.logger.info('vote', { interactionId: interaction.id, questionId, helpful, result });
  },
} satisfies Button;
