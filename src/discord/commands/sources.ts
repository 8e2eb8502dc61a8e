// /sources: the articles the bot answers from.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { renderSourceList } from '../../render/discord.js';
import { NO_PINGS } from '../replies.js';
import type { BotContext } from '../context.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new SlashCommandBuilder().setName('sources').setDescription('List the articles the bot answers from.');

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.reply({ content: renderSourceList(ctx.desk.sources()), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

export default { data, execute } satisfies Command;
