// An event handler module: the `Events.*` name it listens to and what it does.
import type { ClientEvents } from 'discord.js';
import type { BotContext } from '../context.js';

export interface BotEvent<K extends keyof ClientEvents = keyof ClientEvents> {
  name: K;
  once?: boolean;
  execute(ctx: BotContext, ...args: ClientEvents[K]): Promise<void> | void;
}

/** Keeps the name and the handler's arguments in step. */
export function defineEvent<K extends keyof ClientEvents>(event: BotEvent<K>): BotEvent<K> {
  return event;
}
