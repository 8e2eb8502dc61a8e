// Message context menu → Apps → "Ask about this message": the message's text is the question (answer private).
import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import type { BotContext } from '../context.js';
import { answerInteraction } from './ask.js';
import type { Command, CommandInteraction } from './types.js';

export const data = new ContextMenuCommandBuilder().setName('Ask about this message').setType(ApplicationCommandType.Message);

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isMessageContextMenuCommand()) return;
  await answerInteraction(interaction, interaction.targetMessage.content, true, 'context-menu', ctx);
}

export default { data, execute } satisfies Command;
