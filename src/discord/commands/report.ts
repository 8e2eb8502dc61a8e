// /report [since]: the editor's view (same report as `npm run report`), for editors only, as private messages.
// Built in a separate process with a time and memory budget.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { renderReportDiscord } from '../../feedback/render-report.js';
import { parseSince } from '../../feedback/report.js';
import { runReport } from '../../feedback/run-report.js';
import { FeedbackError } from '../../feedback/store.js';
import { EDITOR_DEFAULT_PERMISSIONS, isEditor, NOT_AN_EDITOR } from '../editors.js';
import { NO_PINGS } from '../replies.js';
import type { BotContext } from '../context.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new SlashCommandBuilder()
  .setName('report')
  .setDescription('Editors: what readers asked that the articles do not cover, and answers voted not helpful.')
  .setDefaultMemberPermissions(EDITOR_DEFAULT_PERMISSIONS)
  .addStringOption((o) =>
    o
      .setName('since')
      .setDescription('Period to report on (default: the last 7 days)')
      .addChoices(
        { name: 'last 24 hours', value: '1d' },
        { name: 'last 7 days', value: '7d' },
        { name: 'last 30 days', value: '30d' },
        { name: 'last 90 days', value: '90d' },
      ),
  );

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  if (!isEditor(interaction, ctx.config.editorRoleId)) {
    await interaction.reply({ content: NOT_AN_EDITOR, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  // Built in another process from the file (read-only), so answering goes on meanwhile; what is queued is written first.
  ctx.feedback.flush();
  let report: Awaited<ReturnType<typeof runReport>>;
  try {
    report = await runReport({
      file: ctx.feedback.file,
      since: parseSince(interaction.options.getString('since') ?? '7d'),
      embedding: ctx.desk.embeddingConfig,
    });
  } catch (error) {
    if (!(error instanceof FeedbackError)) throw error;
    await interaction.editReply({ content: error.message, allowedMentions: NO_PINGS });
    return;
  }
  const [first, ...rest] = renderReportDiscord(report);
  await interaction.editReply({ content: first!, allowedMentions: NO_PINGS });
  for (const more of rest) await interaction.followUp({ content: more, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

export default { data, execute } satisfies Command;
