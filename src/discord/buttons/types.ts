// A button handler: the custom-id prefix it owns and what a click does. Custom ids are `prefix:arg:arg`,
// carrying everything a click needs (a stored answer's id, a page number), so buttons work after a restart.
import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.js';

export interface Button {
  prefix: string;
  execute(interaction: ButtonInteraction, args: string[], ctx: BotContext): Promise<void>;
}

export function customId(prefix: string, ...args: (string | number)[]): string {
  return [prefix, ...args].join(':');
}

export function parseCustomId(id: string): { prefix: string; args: string[] } {
  const [prefix = '', ...args] = id.split(':');
  return { prefix, args };
}
