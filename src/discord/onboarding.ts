// First-run mistakes, told as what to do: a privileged intent not enabled, a wrong token, commands that
// cannot be registered, Discord out of reach. Raw library errors ("Used disallowed intents") become these messages.
import { DiscordAPIError, DiscordjsErrorCodes, GatewayCloseCodes } from 'discord.js';
import { OnboardingError } from './onboarding-error.js';

export { OnboardingError } from './onboarding-error.js';

const PORTAL = 'https://discord.com/developers/applications';

export const MESSAGE_CONTENT_INTENT_OFF = `Discord refused the Message Content intent (gateway close code 4014). Turn it on in the developer portal (${PORTAL}): your application → Bot → Privileged Gateway Intents → Message Content Intent, save, then start the bot again.`;
export const TOKEN_REJECTED = `Discord rejected the bot token: DISCORD_TOKEN is wrong or was reset. In the developer portal (${PORTAL}) open your application → Bot → Reset Token, put the new token in .env as DISCORD_TOKEN, then start again.`;

/** What to do about a gateway close code the bot cannot recover from by reconnecting; null for the others. */
export function fatalCloseMessage(code: number): string | null {
  switch (code) {
    case GatewayCloseCodes.DisallowedIntents:
      return MESSAGE_CONTENT_INTENT_OFF;
    case GatewayCloseCodes.AuthenticationFailed:
      return `${TOKEN_REJECTED} (gateway close code 4004)`;
    case GatewayCloseCodes.InvalidIntents:
      return 'Discord refused the intents this bot asks for (gateway close code 4013). This is a bug in Story Desk: please report it.';
    case GatewayCloseCodes.ShardingRequired:
      return 'Discord requires sharding for this bot now (gateway close code 4011): set SHARDS=auto and start again.';
    case GatewayCloseCodes.InvalidShard:
      return 'Discord refused the shard settings (gateway close code 4010): check SHARDS, or set SHARDS=auto.';
    default:
      return null;
  }
}

/** Network failures that mean nothing at Discord's address could be reached from this machine. */
const NAME_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const NOT_REACHED = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * "getaddrinfo ENOTFOUND discord.com" as what to check; null for other errors. `apiUrl` is DISCORD_API_URL
 * (null: Discord itself). fetch() hides the network error in `cause`, discord.js's REST client does not.
 */
export function discordUnreachable(error: unknown, apiUrl: string | null, then = 'start the bot again'): OnboardingError | null {
  let cause = error;
  for (let depth = 0; cause && depth < 4; depth++, cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code !== 'string' || !(NAME_NOT_FOUND.has(code) || NOT_REACHED.has(code))) continue;
    const where = apiUrl ?? 'https://discord.com/api';
    const host = new URL(where).host;
    const what = NAME_NOT_FOUND.has(code) ? `the name ${host} could not be looked up (${code})` : `${where} did not answer (${code})`;
    const check = apiUrl
      ? `Check DISCORD_API_URL (${apiUrl}): leave it unset to use Discord itself, or start the server it names`
      : `Check this machine's internet connection and DNS, and that no firewall or proxy blocks ${host}`;
    return new OnboardingError(`Cannot reach Discord: ${what}. ${check}, then ${then}.`);
  }
  return null;
}

/** A login failure as what to do; other errors are returned as they are. */
export function explainLoginError(error: unknown, apiUrl: string | null = null): unknown {
  const unreachable = discordUnreachable(error, apiUrl);
  if (unreachable) return unreachable;
  const message = (error as Error)?.message ?? '';
  if ((error as { code?: string })?.code === DiscordjsErrorCodes.TokenInvalid || /Authentication failed/i.test(message))
    return new OnboardingError(TOKEN_REJECTED, 4004);
  if (/disallowed intents/i.test(message)) return new OnboardingError(MESSAGE_CONTENT_INTENT_OFF, 4014);
  return error;
}

/** deploy-commands: 401 and 403 from Discord as what to check. */
export function explainDeployError(error: unknown, clientId: string, apiUrl: string | null = null): unknown {
  if (!(error instanceof DiscordAPIError)) return discordUnreachable(error, apiUrl, 'run npm run deploy-commands again') ?? error;
  if (error.status === 401) return new OnboardingError(`Discord answered 401 Unauthorized to registering the commands: ${TOKEN_REJECTED}`);
  if (error.status === 403) {
    return new OnboardingError(
      `Discord answered 403 (${error.message}) to registering the commands. Check that DISCORD_CLIENT_ID (${clientId}) is this bot's Application ID (developer portal → General Information), and, with DISCORD_GUILD_ID set, that the bot was invited to that server with the applications.commands scope: https://discord.com/oauth2/authorize?client_id=${clientId}&scope=bot%20applications.commands&permissions=274877975552`,
    );
  }
  return error;
}
