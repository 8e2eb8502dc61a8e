// The application commands, as sent to Discord by `npm run deploy-commands`.
import { ApplicationCommandType, ContextMenuCommandBuilder, SlashCommandBuilder, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';

/** Long enough for any real question, short enough to keep answers fast. */
export const QUESTION_MAX_LENGTH = 300;
export const ASK_ABOUT_MESSAGE = 'Ask about this message';

export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask a question about the story; the answer quotes the articles.')
      .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMinLength(1).setMaxLength(QUESTION_MAX_LENGTH))
      .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer')),
    new SlashCommandBuilder().setName('sources').setDescription('List the articles the bot answers from.'),
    new SlashCommandBuilder().setName('help').setDescription('How to use the bot.'),
    new ContextMenuCommandBuilder().setName(ASK_ABOUT_MESSAGE).setType(ApplicationCommandType.Message),
  ].map((c) => c.toJSON());
}
