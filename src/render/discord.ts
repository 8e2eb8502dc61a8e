// The answer as a Discord message: block quotes with [n] markers, then the numbered sources.
// Every message fits Discord's limits: excerpts are shortened or dropped, citations never are.
import type { Answer, Excerpt, SourceRef } from '../answer/types.js';
import { withTextFragment } from './text-fragment.js';
import { citationMarks, LOW_CONFIDENCE } from './words.js';

/** Discord rejects message content over 2000 characters. */
export const CONTENT_LIMIT = 2000;
/** A quote cut shorter than this says too little to be worth showing. */
const MIN_QUOTE_CHARS = 80;
const MAX_TITLE_CHARS = 200;
/** A publisher is a name: past this it is junk metadata, and it must never make a citation too long to show. */
const MAX_PUBLISHER_CHARS = 100;
const MAX_URL_CHARS = 512;

/**
 * Characters that change how the text around them shows without showing themselves: bidi embeddings,
 * overrides, isolates and marks, zero-width spaces and joiners, the BOM, soft hyphen. A zero-width joiner
 * inside an emoji sequence (👩‍💻) is part of the emoji and stays.
 */
const INVISIBLE_CONTROLS =
  /[\u00AD\u061C\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
/** Half of a surrogate pair without its other half: not a character, and Discord shows it as garbage. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A link Discord would unfurl into a preview; trailing punctuation belongs to the sentence, as Discord reads it. */
const BARE_URL = /https?:\/\/[^\s<>"]*[^\s<>".,:;!?'")\]}…“”‘’]/g;

/** Text as it shows: no lone surrogates, no invisible controls. */
export function visibleText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE_CONTROLS, '');
}

/**
 * Article or user text made inert: no markdown formatting, no mention syntax, no masked links, no invisible
 * controls, and links as `<url>` so they stay clickable but unfurl no preview. (allowedMentions already stops
 * pings; this also stops the text from *looking* like a mention.) `links: 'escape'` breaks links instead, for
 * text that is itself a link's label.
 */
export function escapeDiscord(text: string, links: 'wrap' | 'escape' = 'wrap'): string {
  const visible = visibleText(text).replace(/[\r\n]+/g, ' ');
  let out = '';
  let at = 0;
  for (const match of visible.matchAll(BARE_URL)) {
    out += escapeInline(visible.slice(at, match.index));
    out += links === 'wrap' ? `<${match[0]}>` : escapeInline(match[0]).replaceAll('://', '\\://');
    at = match.index + match[0].length;
  }
  return out + escapeInline(visible.slice(at));
}

/**
 * Every markdown marker escaped, wherever it is: discord.js's escapeMarkdown leaves some of a run of
 * asterisks unescaped (found by the fuzz test), and a lone `**` then bolds the rest of the message.
 */
function escapeInline(text: string): string {
  return text
    .replace(/[\\*_~|`<[\]]/g, '\\$&')
    .replace(/^(\s*)([#>+-]|\d+\.)/, '$1\\$2')
    .replace(/@(everyone|here)/gi, '\\@$1');
}

/**
 * "[n] [Title](<url>) — Publisher, 2024-06-19": the link text escaped, the URL in <> so no preview unfolds.
 * With `quote`, the link carries a text fragment that opens the article at that quote.
 */
export function formatSourceLine(source: Pick<SourceRef, 'n' | 'title' | 'publisher' | 'date' | 'url'>, quote?: string): string {
  const title = escapeDiscord(shorten(source.title.replace(/[[\]]/g, ''), MAX_TITLE_CHARS), 'escape');
  const details = [source.publisher && shorten(source.publisher, MAX_PUBLISHER_CHARS), source.date]
    .filter(Boolean)
    .map((d) => escapeDiscord(d!))
    .join(', ');
  const url = source.url && source.url.length <= MAX_URL_CHARS && /^https?:\/\/[^\s<>]+$/.test(source.url) ? source.url : null;
  const withFragment = url && quote ? withTextFragment(url, visibleText(quote)) : url;
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

/** Lines above the quotes: the question, how it was read, and a word on low confidence. */
function preamble(answer: Answer, options: RenderOptions): string[] {
  const lines: string[] = [];
  if (options.heading?.trim()) lines.push(`**Q:** ${escapeDiscord(shorten(options.heading.trim(), MAX_HEADING_CHARS))}`);
  if (answer.readAs) lines.push(`*Read as: ${escapeDiscord(shorten(answer.readAs, MAX_HEADING_CHARS))}*`);
  if (answer.answered && answer.lowConfidence) lines.push(LOW_CONFIDENCE);
  return lines;
}

export function renderAnswerForDiscord(answer: Answer, options: RenderOptions = {}): string {
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
  const lines = [escapeDiscord(answer.message ?? '').trim() || "The articles don't say."];
  if (answer.suggestions.length) lines.push('', 'They cover:', ...answer.suggestions.map((t) => `• ${escapeDiscord(shorten(t, MAX_TITLE_CHARS))}`));
  return lines.join('\n');
}

/** Quotes as block quotes sharing `budget` characters fairly; null when even short quotes do not fit. */
function fitExcerpts(excerpts: Excerpt[], budget: number): string | null {
  const frame = (e: Excerpt, quote: string) => `> “${quote}” ${citationMarks(e)}`;
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

/**
 * Cuts escaped text at a word boundary without leaving a dangling escape backslash, half a character
 * (emoji, accented letter) or half a `<url>`.
 */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = graphemePrefix(text, Math.max(0, max));
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  const openLink = cut.lastIndexOf('<http');
  if (openLink >= 0 && cut[openLink - 1] !== '\\' && !cut.includes('>', openLink)) cut = cut.slice(0, openLink);
  return cut.replace(/\\+$/, '').trimEnd();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest start of `text` within `max` UTF-16 units that ends between two graphemes. */
function graphemePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  // A grapheme boundary falls before every ASCII character but the LF of a CRLF, so only the stretch from the
  // last one before the cut needs segmenting (segmenting a whole message costs milliseconds).
  let from = max;
  while (from > 0 && !(text.charCodeAt(from) < 0x80 && !(text[from] === '\n' && text[from - 1] === '\r'))) from--;
  let end = from;
  // The character after the cut (two units if a pair) is all the right-hand context a boundary depends on.
  for (const { index, segment } of graphemes.segment(text.slice(from, max + 2))) {
    if (from + index + segment.length > max) break;
    end = from + index + segment.length;
  }
  return text.slice(0, end);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${graphemePrefix(text, max - 1).trimEnd()}…`;
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

/** Articles per `/sources` page: ten lines read at a glance and fit one message even with long links. */
export const SOURCES_PER_PAGE = 10;

/** Newest first (undated last), then by title; only the publisher asked for, when one is. */
export function sourcesInOrder<T extends SourceListing>(articles: readonly T[], publisher: string | null = null): T[] {
  const wanted = publisher?.trim().toLowerCase();
  return articles
    .filter((a) => !wanted || (a.publisher ?? '').toLowerCase().includes(wanted))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
}

export function sourcePageCount(count: number): number {
  return Math.max(1, Math.ceil(count / SOURCES_PER_PAGE));
}

/**
 * One page of `/sources` (0-based `page`, clamped), newest first, with dates. A page that would overflow
 * drops links from its longest lines first: every article keeps its line.
 */
export function renderSourceList(articles: readonly SourceListing[], options: { page?: number; publisher?: string | null } = {}): string {
  const publisher = options.publisher?.trim() || null;
  const ordered = sourcesInOrder(articles, publisher);
  const scope = publisher ? ` from publishers matching “${escapeDiscord(shorten(publisher, 80))}”` : '';
  if (!ordered.length) return publisher ? `No articles${scope}. \`/sources\` without a publisher lists them all.` : 'No articles are indexed yet.';
  const pages = sourcePageCount(ordered.length);
  const page = Math.min(Math.max(0, options.page ?? 0), pages - 1);
  const first = page * SOURCES_PER_PAGE;
  const onPage = ordered.slice(first, first + SOURCES_PER_PAGE).map((a, i) => ({ ...a, n: first + i + 1 }));
  const header = `**Articles I answer from**${scope} (${ordered.length}, newest first)${pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}`;
  const lines = onPage.map((a) => formatSourceLine(a));
  const byLength = lines.map((l, i) => [l.length, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byLength) {
    if (header.length + lines.reduce((n, l) => n + 1 + l.length, 0) <= CONTENT_LIMIT) break;
    lines[i] = formatSourceLine({ ...onPage[i]!, url: null });
  }
  return clip(`${header}\n${lines.join('\n')}`, CONTENT_LIMIT);
}
