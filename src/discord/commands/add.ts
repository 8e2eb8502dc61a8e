// /add url:<link> file:<attachment>: editors add an article from Discord, the same way `npm run add` does.
// The reply (only for the editor) says what was added — title, publisher, date, chunks — or exactly why not.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { describeAdded, type AddInput } from '../../adding/add.js';
import { attachmentOrigins, attachmentUrl } from '../attachments.js';
import { EDITOR_DEFAULT_PERMISSIONS, isEditor, NOT_AN_EDITOR } from '../editors.js';
import { NO_PINGS } from '../replies.js';
import type { BotContext } from '../context.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new SlashCommandBuilder()
  .setName('add')
  .setDescription('Editors: add an article (a link, or a web page, PDF or text file) for the bot to answer from.')
  .setDefaultMemberPermissions(EDITOR_DEFAULT_PERMISSIONS)
  .addStringOption((o) => o.setName('url').setDescription('Link to the article (https://…)').setMaxLength(2000))
  .addAttachmentOption((o) => o.setName('file').setDescription('A saved web page (.html), a PDF, or a .txt / .md file'));

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  if (!isEditor(interaction, ctx.config.editorRoleId)) {
    await interaction.reply({ content: NOT_AN_EDITOR, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  const url = interaction.options.getString('url')?.trim() || null;
  const file = interaction.options.getAttachment('file');
  if (!url && !file) {
    await interaction.reply({
      content: 'Give a link (`url`) or attach a file (`file`): a web page, a PDF, or a .txt / .md file.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return;
  }
  // Fetching and indexing take a few seconds: Discord wants an answer within three.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const inputs: AddInput[] = [];
  if (url) inputs.push({ url });
  if (file) inputs.push({ attachment: attachmentUrl(file.url, ctx.config), name: file.name });
  const by = `${interaction.user.username} (${interaction.user.id}) on Discord`;
  let content: string;
  try {
    const result = await ctx.desk.add(inputs, by, attachmentOrigins(ctx.config));
    for (const a of result.added) ctx.logger.info('article_added', { file: a.file, status: a.status, chunks: a.chunks, by: interaction.user.id });
    for (const f of result.failed) ctx.logger.info('article_not_added', { input: f.input, reason: f.reason, by: interaction.user.id });
    content = [...result.added.map(describeAdded), ...result.failed.map((f) => `Not added: ${f.input}: ${f.reason}`)].join('\n');
    if (result.added.length) content += '\nThe bot answers from it now.';
  } catch (error) {
    ctx.logger.error('add_failed', { error: (error as Error).message.split('\n')[0] });
    content = `Not added: ${(error as Error).message.split('\n')[0]}`;
  }
  await interaction.editReply({ content: withinMessageLimit(content), allowedMentions: NO_PINGS });
}

/** Discord's 2,000-character limit. */
function withinMessageLimit(text: string): string {
  return text.length <= 2000 ? text : `${text.slice(0, 1990)}…`;
}

export default { data, execute } satisfies Command;
