// A command as the discord.js guide lays it out: its builder `data` (sent by deploy-commands) and `execute`.
import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction, RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from '../context.js';

export type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

export interface Command {
  data: { readonly name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  execute(interaction: CommandInteraction, ctx: BotContext): Promise<void>;
}
