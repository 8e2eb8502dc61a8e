// Turns one article file (as a person pasted it) into metadata plus clean, quotable text.
import { parse as parseYaml } from 'yaml';
import type { ArticleMeta } from './types.js';
import { stripInlineMarkdown, cleanBlock } from './markdown.js';
import { parseDate } from './dates.js';

export class ArticleError extends Error {
  override name = 'ArticleError';
}

export interface ParsedArticle {
  meta: ArticleMeta;
  text: string;
}

type FrontMatter = Partial<Omit<ArticleMeta, 'authors'>> & { authors?: string[] };

/** How far into the body (in non-empty lines) a date or byline can sit and still count as metadata. */
const HEADER_LINES = 8;

export function parseArticle(raw: string, fileName: string): ParsedArticle {
  const normalized = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { front, body } = splitFrontMatter(normalized);
  const lines = body.split('\n');
  const found = extractPastedMetadata(lines, front.title ?? null);

  const url = front.url ?? found.url;
  const meta: ArticleMeta = {
    title: front.title ?? found.title ?? titleFromFileName(fileName),
    publisher: front.publisher ?? found.publisher ?? (url ? publisherFromUrl(url) : null),
    date: front.date ?? found.date,
    url,
    authors: front.authors ?? found.authors,
  };
  const text = cleanBody(lines.filter((_, i) => !found.metadataLines.has(i)));
  if (!text) throw new ArticleError('the article has no text (only metadata or nothing at all)');
  return { meta, text };
}

function splitFrontMatter(text: string): { front: FrontMatter; body: string } {
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

function validateFrontMatter(data: Record<string, unknown>): FrontMatter {
  const front: FrontMatter = {};
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
  for (const key of Object.keys(front) as (keyof FrontMatter)[]) if (front[key] === undefined) delete front[key];
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
function extractPastedMetadata(lines: string[], knownTitle: string | null): PastedMetadata {
  const found: PastedMetadata = { title: null, date: null, url: null, publisher: null, authors: [], metadataLines: new Set() };
  const nonEmpty = lines.map((line, i) => ({ line: line.trim(), i })).filter((l) => l.line);

  const first = nonEmpty[0];
  if (first) {
    const heading = /^#{1,6}\s+(.+?)\s*#*$/.exec(first.line);
    found.title = stripInlineMarkdown(heading ? heading[1]! : first.line).trim() || null;
    // With a title in front matter, the first line is body text unless it repeats that title.
    if (!knownTitle || found.title?.toLowerCase() === knownTitle.toLowerCase() || heading) found.metadataLines.add(first.i);
  }

  for (const { line, i } of nonEmpty.slice(1, 1 + HEADER_LINES)) {
    const plain = stripInlineMarkdown(line).trim();
    const byline = BYLINE.exec(plain);
    if (!found.authors.length && byline) {
      found.authors = splitAuthors(byline[1]!);
      found.metadataLines.add(i);
      continue;
    }
    const date = !found.date ? parseDate(plain.replace(/^(?:published|updated|date)\s*:?\s*/i, '')) : null;
    if (date) {
      found.date = date;
      found.metadataLines.add(i);
    }
  }

  for (let k = 0; k < nonEmpty.length; k++) {
    const { line, i } = nonEmpty[k]!;
    const source = SOURCE_LINE.exec(line);
    if (source) {
      const label = line.split(':')[0]!.toLowerCase();
      const rest = source[1]!.trim();
      found.metadataLines.add(i);
      const inlineUrl = BARE_URL.exec(rest)?.[1] ?? /\((https?:\/\/[^)\s]+)\)/.exec(rest)?.[1];
      if (inlineUrl) found.url ??= inlineUrl;
      else if (!rest && nonEmpty[k + 1] && BARE_URL.test(nonEmpty[k + 1]!.line)) {
        found.url ??= BARE_URL.exec(nonEmpty[k + 1]!.line)![1]!;
        found.metadataLines.add(nonEmpty[k + 1]!.i);
        k++;
      } else if (rest && !/url|link/.test(label)) {
        found.publisher ??= stripInlineMarkdown(rest).trim();
      }
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
function splitAuthors(text: string): string[] {
  return stripInlineMarkdown(text)
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/i)
    .map((name) => name.replace(/\s+(?:for|of|at)\s+.+$/i, '').replace(/\s*\|.*$/, '').trim())
    .filter((name) => name && !/^(?:AFP|AP|Reuters|staff)$/i.test(name));
}

function isHttpUrl(value: string): boolean {
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

function titleFromFileName(fileName: string): string {
  const base = fileName.split('/').pop()!.replace(/\.(txt|md)$/i, '');
  return base.replace(/[-_]+/g, ' ').trim() || fileName;
}

/**
 * Paragraphs are separated by blank lines or, in plain pasted text, by single line breaks.
 * A break inside a sentence (the previous piece has no closing punctuation and the next
 * starts in lower case) is a paste accident: the pieces are joined.
 */
function cleanBody(lines: string[]): string {
  const paragraphs: string[] = [];
  let previousWasHeading = false;
  for (const line of lines) {
    const isHeading = /^\s*#{1,6}\s/.test(line);
    const cleaned = cleanBlock(line);
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
