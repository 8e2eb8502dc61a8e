// /help: how to use the bot.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { HELP_TEXT, NO_PINGS } from '../replies.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('How to use the bot.');

export async function execute(interaction: CommandInteraction): Promise<void> {
  await interaction.reply({ content: HELP_TEXT, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

export default { data, execute } satisfies Command;
