// Attachments are fetched from the address Discord gives, or from DISCORD_CDN_URL in its place (the fake
// Discord in tests, a caching proxy): the same path on the configured base.
import type { DiscordConfig } from '../config.js';

const DISCORD_CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

export function attachmentUrl(url: string, config: Pick<DiscordConfig, 'cdnUrl'>): string {
  if (!config.cdnUrl) return url;
  const given = new URL(url);
  if (!DISCORD_CDN_HOSTS.has(given.hostname)) return url;
  return `${config.cdnUrl}${given.pathname}${given.search}`;
}

/** Origins the bot's own configuration names for attachments: fetched without the private-address check. */
export function attachmentOrigins(config: Pick<DiscordConfig, 'cdnUrl'>): string[] {
  return config.cdnUrl ? [new URL(config.cdnUrl).origin] : ['https://cdn.discordapp.com', 'https://media.discordapp.net'];
}
