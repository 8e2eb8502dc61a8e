// Registers the command table: to one guild when DISCORD_GUILD_ID is set (instant), else globally.
// A PUT replaces the whole set, so running it again is harmless.
import { REST, Routes } from 'discord.js';
import type { DiscordConfig } from '../config.js';
import { commandDefinitions } from './commands/index.js';
import { explainDeployError } from './onboarding.js';

export async function deployCommands(
  config: DiscordConfig,
  rest: Partial<ConstructorParameters<typeof REST>[0]> = {},
): Promise<{ scope: string; count: number }> {
  const client = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}), ...rest }).setToken(config.token);
  const body = commandDefinitions();
  const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
  let registered: unknown[];
  try {
    registered = (await client.put(route, { body })) as unknown[];
  } catch (error) {
    throw explainDeployError(error, config.clientId, config.apiUrl);
  }
  return { scope: config.guildId ? `guild ${config.guildId}` : 'global (may take up to an hour to appear)', count: registered.length };
}
