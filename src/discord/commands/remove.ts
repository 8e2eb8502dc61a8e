// /remove article:<title or file>: editors take back an article added with /add or `npm run add`.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { EDITOR_DEFAULT_PERMISSIONS, isEditor, NOT_AN_EDITOR } from '../editors.js';
import { NO_PINGS } from '../replies.js';
import type { BotContext } from '../context.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new SlashCommandBuilder()
  .setName('remove')
  .setDescription('Editors: remove an article that was added, by its title or file (as /sources shows it).')
  .setDefaultMemberPermissions(EDITOR_DEFAULT_PERMISSIONS)
  .addStringOption((o) =>
    o.setName('article').setDescription('Its title, or its file such as added/2024-06-19-title.html').setRequired(true).setMaxLength(500),
  );

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  if (!isEditor(interaction, ctx.config.editorRoleId)) {
    await interaction.reply({ content: NOT_AN_EDITOR, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let content: string;
  try {
    const removed = await ctx.desk.remove(interaction.options.getString('article', true));
    ctx.logger.info('article_removed', { file: removed.file, by: interaction.user.id });
    content = `Removed: “${removed.meta?.title ?? removed.file}” (${removed.file}).${removed.summary ? ' The bot no longer answers from it.' : ' It was the last article: the index keeps it until another article is added.'}`;
  } catch (error) {
    content = `Not removed: ${(error as Error).message.split('\n')[0]}`;
  }
  await interaction.editReply({ content: content.slice(0, 2000), allowedMentions: NO_PINGS });
}

export default { data, execute } satisfies Command;
