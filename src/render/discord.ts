// The answer as a Discord message: block quotes with [n] markers, then the numbered sources.
// Every message fits Discord's limits: excerpts are shortened or dropped, citations never are.
import { escapeMarkdown } from 'discord.js';
import type { Answer, Excerpt, SourceRef } from '../answer/types.js';
import { withTextFragment } from './text-fragment.js';

/** Discord rejects message content over 2000 characters. */
export const CONTENT_LIMIT = 2000;
/** A quote cut shorter than this says too little to be worth showing. */
const MIN_QUOTE_CHARS = 80;
const MAX_TITLE_CHARS = 200;
const MAX_URL_CHARS = 512;

/**
 * Article or user text made inert: no markdown formatting, no mention syntax, no masked links.
 * (allowedMentions already stops pings; this also stops the text from *looking* like a mention.)
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(/</g, '\\<')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/[\r\n]+/g, ' ');
}

/**
 * "[n] [Title](<url>) — Publisher, 2024-06-19": the link text escaped, the URL in <> so no preview unfolds.
 * With `quote`, the link carries a text fragment that opens the article at that quote.
 */
export function formatSourceLine(source: Pick<SourceRef, 'n' | 'title' | 'publisher' | 'date' | 'url'>, quote?: string): string {
  const title = escapeDiscord(shorten(source.title, MAX_TITLE_CHARS)).replace(/[[\]]/g, '');
  const details = [source.publisher, source.date].filter(Boolean).map((d) => escapeDiscord(d!)).join(', ');
  const url = source.url && source.url.length <= MAX_URL_CHARS && /^https?:\/\/[^\s<>]+$/.test(source.url) ? source.url : null;
  const withFragment = url && quote ? withTextFragment(url, quote) : url;
  const target = withFragment && withFragment.length <= MAX_URL_CHARS ? withFragment : url;
  const linked = target ? `[${title}](<${target}>)` : title;
  return `[${source.n}] ${linked}${details ? ` — ${details}` : ''}`;
}

/** Questions longer than this are shortened in the heading of a reply. */
const MAX_HEADING_CHARS = 200;

export interface RenderOptions {
  /** The question as asked, heading the reply (/ask and the context menu: others in the channel see what is answered). */
  heading?: string;
}

/** What renderers read beyond the base answer object: set by the question stage when it has them. */
type RenderedAnswer = Answer & { lowConfidence?: boolean; readAs?: string | null };

/** Lines above the quotes: the question, how it was read, and a word on low confidence. */
function preamble(answer: RenderedAnswer, options: RenderOptions): string[] {
  const lines: string[] = [];
  if (options.heading?.trim()) lines.push(`**Q:** ${escapeDiscord(shorten(options.heading.trim(), MAX_HEADING_CHARS))}`);
  if (answer.readAs) lines.push(`*Read as: ${escapeDiscord(shorten(answer.readAs, MAX_HEADING_CHARS))}*`);
  if (answer.answered && answer.lowConfidence) lines.push(LOW_CONFIDENCE);
  return lines;
}

export const LOW_CONFIDENCE = 'The articles only touch on this:';

export function renderAnswerForDiscord(answer: RenderedAnswer, options: RenderOptions = {}): string {
  const head = preamble(answer, options);
  const top = head.length ? `${head.join('\n')}\n` : '';
  if (!answer.answered) return clip(`${top}${renderDecline(answer)}`, CONTENT_LIMIT);
  let excerpts = answer.excerpts;
  while (excerpts.length) {
    const sources = answer.sources.filter((s) => excerpts.some((e) => e.source === s.n));
    const sourceBlock = `**Sources**\n${sources.map((s) => formatSourceLine(s, excerpts.find((e) => e.source === s.n)?.quote)).join('\n')}`;
    const fitted = fitExcerpts(excerpts, CONTENT_LIMIT - top.length - sourceBlock.length - 2);
    if (fitted) return `${top}${fitted}\n\n${sourceBlock}`;
    excerpts = excerpts.slice(0, -1);
  }
  return `${top}I found the passage but it is too long to show here. Try a narrower question.`;
}

function renderDecline(answer: Answer): string {
  const lines = [answer.message ?? "The articles don't say."];
  if (answer.suggestions.length) lines.push('', 'They cover:', ...answer.suggestions.map((t) => `• ${escapeDiscord(shorten(t, MAX_TITLE_CHARS))}`));
  return lines.join('\n');
}

/** Quotes as block quotes sharing `budget` characters fairly; null when even short quotes do not fit. */
function fitExcerpts(excerpts: Excerpt[], budget: number): string | null {
  const frame = (e: Excerpt, quote: string) => `> “${quote}” [${e.source}]`;
  const escaped = excerpts.map((e) => ({ e, full: escapeDiscord(e.quote) }));
  const overhead = escaped.reduce((n, { e }) => n + frame(e, '').length + 2, 0) + 2 * (excerpts.length - 1);
  let room = budget - overhead;
  if (room < MIN_QUOTE_CHARS * excerpts.length) return null;
  // Short quotes keep their full length; what they leave over goes to the longer ones.
  const bySize = [...escaped].sort((a, b) => a.full.length - b.full.length);
  const allowance = new Map<Excerpt, number>();
  bySize.forEach(({ e, full }, i) => {
    const share = Math.floor(room / (bySize.length - i));
    const take = Math.min(full.length + 2, share);
    allowance.set(e, take);
    room -= take;
  });
  return escaped
    .map(({ e, full }) => {
      const limit = allowance.get(e)!;
      const open = e.trimmedStart ? '…' : '';
      const close = e.trimmedEnd ? '…' : '';
      const text = open.length + full.length + close.length <= limit ? `${open}${full}${close}` : `${open}${cutAtWord(full, limit - open.length - 1)}…`;
      return frame(e, text);
    })
    .join('\n\n');
}

/** Cuts escaped text at a word boundary without leaving a dangling escape backslash. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max));
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  return cut.replace(/\\+$/, '').trimEnd();
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cutAtWord(text, max - 1)}…`;
}

export interface SourceListing {
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
}

/** `/sources`: every indexed article, as many as fit, then how many more there are. */
export function renderSourceList(articles: SourceListing[]): string {
  if (!articles.length) return 'No articles are indexed yet.';
  const header = `**Articles I answer from** (${articles.length})`;
  const lines: string[] = [];
  let length = header.length;
  for (let i = 0; i < articles.length; i++) {
    const line = formatSourceLine({ n: i + 1, ...articles[i]! });
    const more = `\n…and ${articles.length - i} more.`;
    if (length + 1 + line.length + (i + 1 < articles.length ? more.length : 0) > CONTENT_LIMIT) {
      lines.push(more.trim());
      break;
    }
    lines.push(line);
    length += 1 + line.length;
  }
  return `${header}\n${lines.join('\n')}`;
}
