// Words and options shared by every reply the bot sends.
import { SnowflakeUtil } from 'discord.js';

/** Never ping anyone: not the asker, not @everyone, not a role or user named in a question or quote. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

/**
 * For every created message: a fresh nonce Discord enforces, so a create that discord.js retries after a 5xx
 * or a timeout (when Discord had in fact stored it) is not posted twice.
 */
export function once(): { nonce: string; enforceNonce: true } {
  return { nonce: SnowflakeUtil.generate().toString(), enforceNonce: true };
}

export const APOLOGY = 'Sorry, something went wrong while answering. Please try again in a moment.';

export const HELP_TEXT = [
  '**Story Desk** answers questions about the news story in its articles, quoting them word for word with numbered sources.',
  '• `/ask question:` — ask a question (add `private:True` so only you see the answer)',
  '• Mention me with a question in a channel, or send me a direct message',
  '• Right-click a message → Apps → **Ask about this message**',
  '• `/sources` — the articles I answer from (newest first; `publisher:` to filter)',
  '• In a DM, a thread, or a reply to one of my answers, ask a follow-up ("and what did he say about sanctions?")',
  '• Under each answer: **More** for further quotes, **Helpful** / **Not helpful** to tell the newsroom',
  "If the articles don't say, I tell you so instead of guessing.",
].join('\n');

/**
 * Mentions (of the bot, users, roles, channels, commands, @everyone), custom emoji (`<:thinking:123…>`, animated
 * `<a:…>`) and server links (`<id:customize>`) say nothing about what is asked; an emoji's name and id, left in, read
 * as question words no article holds, and "what did kim call putin <:thinking:…>" was declined. A timestamp
 * (`<t:1718755200:D>`, which Discord shows as a date) is read as the date it shows, as news writes it (in UTC).
 * Formatting marks are what the reader saw them as: bold, italics, strike-through, spoilers, code, quotes and headings
 * show their words, and a masked link its text ("**what** did kim call putin?" asks what "what did kim call putin?" asks).
 */
export function withoutMarkup(text: string, botNames: readonly (string | null | undefined)[] = []): string {
  return withoutBotName(text, botNames)
    .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_, seconds: string) => ` ${newsDate(Number(seconds))} `)
    .replace(/<(?:@[!&]?|#)\d+>|<a?:[\w~]+:\d+>|<\/[\w -]+:\d+>|<id:\w+>|@(?:everyone|here)\b/g, ' ')
    .replace(/\[([^\]]*)\]\(<?https?:\/\/[^)\s]*>?\)/g, '$1')
    .replace(/^[ \t]*(?:>>> |> |#{1,3} |-# )/gm, '')
    .replace(/~~|\|\||`+|(?<![\p{L}\p{N}])[*_]+|[*_]+(?![\p{L}\p{N}])/gu, '');
}

/**
 * The bot's name typed after an "@" where no mention was made ("@Story Desk …", "@storydesk …"): whom the question is
 * said to, in any case, its words apart or together.
 */
function withoutBotName(text: string, names: readonly (string | null | undefined)[]): string {
  const words = (name: string) => name.split(/(?<=\p{Ll})(?=\p{Lu})|[\s_.-]+/u).filter(Boolean);
  const patterns = names
    .filter((n): n is string => !!n?.trim())
    .map((n) =>
      words(n)
        .map((w) => w.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
        .join('[\\s_.-]*'),
    );
  if (!patterns.length) return text;
  return text.replace(new RegExp(`@(?:${patterns.join('|')})(?![\\p{L}\\p{N}])`, 'giu'), ' ');
}

/** "June 19, 2024"; nothing for a time no calendar has. */
function newsDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
}

export function politeLimit(waitMs: number, count: number, windowMs: number): string {
  return `You're asking faster than I can keep up with. Please wait ${Math.ceil(waitMs / 1000)} s and ask again (up to ${count} questions every ${Math.round(windowMs / 1000)} s).`;
}
