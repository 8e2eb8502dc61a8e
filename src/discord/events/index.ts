// The event table: one module per `Events.*` name the bot listens to.
import interactionCreate from './interaction-create.js';
import messageCreate from './message-create.js';
import type { BotEvent } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: each handler has its own event's arguments; defineEvent checked them
export const events: readonly BotEvent<any>[] = [messageCreate, interactionCreate];
