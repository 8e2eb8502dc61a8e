// The event table: one module per `Events.*` name the bot listens to.
import interactionCreate from './interaction-create.js';
import messageCreate from './message-create.js';
import type { BotEvent } from './types.js';

export const events: readonly BotEvent<any>[] = [messageCreate, interactionCreate];
