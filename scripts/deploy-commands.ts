// npm run deploy-commands: registers the command table (src/discord/commands/index.ts).
import '../src/env-file.js';
import { exitWithError } from '../src/app.js';
import { loadDiscordConfig } from '../src/config.js';
import { deployCommands } from '../src/discord/deploy.js';

try {
  const { scope, count } = await deployCommands(loadDiscordConfig());
  console.log(`Registered ${count} commands (${scope}).`);
} catch (error) {
  exitWithError(error);
}
