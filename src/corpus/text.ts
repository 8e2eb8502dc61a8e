// Articles as people paste them (.txt, .md, and the text of a PDF): front matter, the title, date,
// byline and source lines a pasted article carries, and its body as clean, quotable paragraphs.
import { parse as parseYaml } from 'yaml';
import type { ArticleMeta } from './types.js';
import { markdownLines, type TextLine } from './markdown.js';
import { parseDate } from './dates.js';

import { ArticleError } from './article-error.js';

export { ArticleError };

export interface ParsedArticle {
  meta: ArticleMeta;
  text: string;
}

/** Metadata known before the text is read (front matter, a PDF's document information): it wins. */
export type KnownMeta = Partial<Omit<ArticleMeta, 'authors'>> & { authors?: string[] };

/** How far into the body (in non-empty lines) a date or byline can sit and still count as metadata. */
const HEADER_LINES = 8;

/** A pasted article in markdown or plain text (read as markdown: its marks are not what a reader sees). */
export function parsePastedText(raw: string, fileName: string, sourceUrl: string | null = null): ParsedArticle {
  const { front, body } = splitFrontMatter(raw.replace(/^\uFEFF/, ''));
  return parseLines(markdownLines(body), fileName, front, sourceUrl);
}

/** Lines of an article's text with what is already known of it: the rest of its metadata found in the lines. */
export function parseLines(lines: TextLine[], fileName: string, known: KnownMeta = {}, sourceUrl: string | null = null): ParsedArticle {
  const found = extractPastedMetadata(lines, known.title ?? null);
  // The address the article names for itself, else the one it was fetched from.
  const url = known.url ?? found.url ?? sourceUrl;
  const meta: ArticleMeta = {
    title: known.title ?? found.title ?? titleFromFileName(fileName),
    publisher: known.publisher ?? found.publisher ?? (url ? publisherFromUrl(url) : null),
    date: known.date ?? found.date,
    url,
    authors: known.authors?.length ? known.authors : found.authors,
  };
  const text = cleanBody(lines.filter((_, i) => !found.metadataLines.has(i)));
  if (!text) throw new ArticleError('the article has no text (only metadata or nothing at all)');
  return { meta, text };
}

function splitFrontMatter(text: string): { front: KnownMeta; body: string } {
  if (!/^---[ \t]*\n/.test(text)) return { front: {}, body: text };
  const end = /\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text.slice(3));
  if (!end) throw new ArticleError('front matter starts with "---" but has no closing "---" line');
  const yamlText = text.slice(3, 3 + end.index);
  let data: unknown;
  try {
    data = parseYaml(yamlText);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new ArticleError(`front matter is not valid YAML (${first})`);
  }
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    throw new ArticleError('front matter must be "key: value" lines (title, publisher, url, date, authors)');
  }
  return { front: validateFrontMatter((data ?? {}) as Record<string, unknown>), body: text.slice(3 + end.index + end[0].length) };
}

function validateFrontMatter(data: Record<string, unknown>): KnownMeta {
  const front: KnownMeta = {};
  const str = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw new ArticleError(`front matter "${key}" must be text`);
    return String(value).trim();
  };
  front.title = str('title');
  front.publisher = str('publisher');
  const url = str('url');
  if (url !== undefined) {
    if (!isHttpUrl(url)) throw new ArticleError(`front matter "url" is not an http(s) link: ${url}`);
    front.url = url;
  }
  const date = data.date;
  if (date instanceof Date) front.date = date.toISOString().slice(0, 10);
  else if (date !== undefined && date !== null && date !== '') {
    const parsed = parseDate(String(date));
    if (!parsed) throw new ArticleError(`front matter "date" is not a date: ${String(date)}`);
    front.date = parsed;
  }
  const authors = data.authors ?? data.author;
  if (typeof authors === 'string') front.authors = splitAuthors(authors);
  else if (Array.isArray(authors)) front.authors = authors.map((a) => String(a).trim()).filter(Boolean);
  else if (authors !== undefined && authors !== null) throw new ArticleError('front matter "authors" must be a name or a list of names');
  for (const key of Object.keys(front) as (keyof KnownMeta)[]) if (front[key] === undefined) delete front[key];
  return front;
}

interface PastedMetadata {
  title: string | null;
  date: string | null;
  url: string | null;
  publisher: string | null;
  authors: string[];
  metadataLines: Set<number>;
}

const SOURCE_LINE = /^(?:source|url|link|original\s+url|original\s+link|original\s+article|publisher|published\s+by)\s*:\s*(.*)$/i;
const BARE_URL = /^<?(https?:\/\/[^\s<>]+)>?$/;
const BYLINE = /^by\s+(.+)$/i;

/** Finds the title, date, byline and source lines a pasted article carries, and marks them for removal. */
function extractPastedMetadata(lines: TextLine[], knownTitle: string | null): PastedMetadata {
  const found: PastedMetadata = { title: null, date: null, url: null, publisher: null, authors: [], metadataLines: new Set() };
  const nonEmpty = lines.map((line, i) => ({ line: line.text, links: line.links, heading: line.heading, i })).filter((l) => l.line);

  const first = nonEmpty[0];
  if (first) {
    found.title = first.line;
    // With a title already known, the first line is body text unless it repeats that title or is a heading.
    if (!knownTitle || first.line.toLowerCase() === knownTitle.toLowerCase() || first.heading) found.metadataLines.add(first.i);
  }

  for (const { line, i } of nonEmpty.slice(1, 1 + HEADER_LINES)) {
    const byline = BYLINE.exec(line);
    if (!found.authors.length && byline) {
      found.authors = splitAuthors(byline[1]!);
      found.metadataLines.add(i);
      continue;
    }
    const date = !found.date ? parseDate(line.replace(/^(?:published|updated|date)\s*:?\s*/i, '')) : null;
    if (date) {
      found.date = date;
      found.metadataLines.add(i);
    }
  }

  for (let k = 0; k < nonEmpty.length; k++) {
    const { line, links, i } = nonEmpty[k]!;
    const source = SOURCE_LINE.exec(line);
    if (source) {
      const label = line.split(':')[0]!.toLowerCase();
      const rest = source[1]!.trim();
      found.metadataLines.add(i);
      const inlineUrl = BARE_URL.exec(rest)?.[1] ?? links[0];
      if (inlineUrl && BARE_URL.test(rest)) found.url ??= inlineUrl;
      else if (!rest && nonEmpty[k + 1] && BARE_URL.test(nonEmpty[k + 1]!.line)) {
        found.url ??= BARE_URL.exec(nonEmpty[k + 1]!.line)![1]!;
        found.metadataLines.add(nonEmpty[k + 1]!.i);
        k++;
      } else if (rest && !/url|link/.test(label)) {
        found.publisher ??= rest;
        if (inlineUrl) found.url ??= inlineUrl;
      } else if (inlineUrl) found.url ??= inlineUrl;
    }
  }

  // A bare link on the last line is where pasted articles keep their address.
  const last = nonEmpty[nonEmpty.length - 1];
  if (last && last !== first && BARE_URL.test(last.line) && !found.metadataLines.has(last.i)) {
    found.url ??= BARE_URL.exec(last.line)![1]!;
    found.metadataLines.add(last.i);
  }
  if (found.url && !isHttpUrl(found.url)) found.url = null;
  return found;
}

/** "Cat Barton for AFP and Claire Lee for AFP" → ["Cat Barton", "Claire Lee"]. */
export function splitAuthors(text: string): string[] {
  return text
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/i)
    .map((name) => name.replace(/\s+(?:for|of|at)\s+.+$/i, '').replace(/\s*\|.*$/, '').trim())
    .filter((name) => name && !/^(?:AFP|AP|Reuters|staff)$/i.test(name));
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** With no publisher named, the link's host is the most honest label we have. */
export function publisherFromUrl(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

export function titleFromFileName(fileName: string): string {
  const base = fileName.split('/').pop()!.replace(/\.[a-z0-9]{1,8}$/i, '');
  return base.replace(/[-_]+/g, ' ').trim() || fileName;
}

/**
 * Paragraphs are separated by blank lines or, in plain pasted text, by single line breaks.
 * A break inside a sentence (the previous piece has no closing punctuation and the next
 * starts in lower case) is a paste accident: the pieces are joined.
 */
export function cleanBody(lines: TextLine[]): string {
  const paragraphs: string[] = [];
  let previousWasHeading = false;
  for (const line of lines) {
    const isHeading = line.heading;
    const cleaned = line.text.replace(/\s+/g, ' ').trim();
    if (!cleaned) continue;
    const last = paragraphs[paragraphs.length - 1];
    if (last !== undefined && !previousWasHeading && !isHeading && continuesSentence(last, cleaned)) {
      paragraphs[paragraphs.length - 1] = `${last} ${cleaned}`;
    } else {
      paragraphs.push(cleaned);
    }
    previousWasHeading = isHeading;
  }
  return paragraphs.join('\n\n');
}

function continuesSentence(previous: string, next: string): boolean {
  return !/[.!?:;"'”’)\]…]$/.test(previous) && /^[a-z]/.test(next);
}
