// Web pages: the article body as a reader sees it (Mozilla's Readability on linkedom's server-side DOM:
// no navigation, banners, scripts, share buttons, related stories or footers), and the metadata pages
// carry: JSON-LD NewsArticle, Open Graph / article:* tags, <link rel="canonical">, <title>.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { parseDate } from './dates.js';
import type { TextLine } from './markdown.js';
import { cleanBody, isHttpUrl, publisherFromUrl, splitAuthors, titleFromFileName, ArticleError, type ParsedArticle } from './text.js';
import type { ArticleMeta } from './types.js';

/** Whether text that came in a file of another type is a web page (a page saved as .txt). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])/i.test(text);
}

/** Fewer words than this is not an article. */
const MIN_ARTICLE_WORDS = 5;

type Dom = ReturnType<typeof parseHTML>['document'];
/** The little of a DOM node the walk below reads. */
interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  tagName?: string;
  childNodes: ArrayLike<DomNode>;
}

export function parseHtmlArticle(html: string, fileName: string, sourceUrl: string | null = null): ParsedArticle {
  const { document } = parseHTML(html);
  // Metadata first: Readability rewrites the document as it works.
  const found = pageMetadata(document);
  const reader = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { keepClasses: false }).parse();
  const lines = reader?.content ? blockLines(parseHTML(`<!doctype html><html><body>${reader.content}</body></html>`).document) : [];
  const url = found.url ?? sourceUrl;
  const pageTitle = found.title ?? clean(reader?.title);
  const title = pageTitle ? withoutSiteName(pageTitle, [found.publisher, clean(reader?.siteName)], url) : titleFromFileName(fileName);
  // The headline usually opens the body too: it is the title, not quotable text.
  while (lines.length && sameText(lines[0]!.text, title)) lines.shift();
  const text = cleanBody(lines);
  // A menu word or two is what Readability finds on a page without an article (an index page, a paywall).
  if (text.split(/\s+/).filter(Boolean).length < MIN_ARTICLE_WORDS) throw new ArticleError('the web page has no article text that could be found');
  const meta: ArticleMeta = {
    title,
    publisher: found.publisher ?? clean(reader?.siteName) ?? (url ? publisherFromUrl(url) : null),
    date: found.date ?? (reader?.publishedTime ? parseDate(reader.publishedTime) : null),
    url,
    authors: found.authors.length ? found.authors : bylineAuthors(clean(reader?.byline)),
  };
  return { meta, text };
}

/** "Title | Example News", "Title - Example News", "Title — Example": the separators sites put before their name. */
// Greedy first part: the name is what follows the last separator.
const SITE_SUFFIX = /^(.+)\s+(?:[|·•–—-]|::)\s+(.+)$/u;

/**
 * The page title without the site's name after it, when that name is the publisher's (og:site_name, JSON-LD
 * publisher, Readability's site name) or the host's ("Example" on example.com, "Example News" on examplenews.com).
 * A title whose last part is anything else keeps its dash ("Ceasefire - what we know").
 */
export function withoutSiteName(title: string, names: (string | null | undefined)[], url: string | null): string {
  const match = SITE_SUFFIX.exec(title);
  if (!match) return title;
  const [, rest, suffix] = match as unknown as [string, string, string];
  const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const said = words(suffix);
  if (!said.length) return title;
  // The suffix is the name, or its first words ("Example" for "Example News").
  const isName = (name: string) => {
    const known = words(name);
    return said.length <= known.length && said.every((word, i) => word === known[i]);
  };
  const host = url ? (publisherFromUrl(url) ?? '') : '';
  // Host labels but the last (the top-level domain): "news.example.co.uk" → news, example, co.
  const labels = host.split('.').slice(0, -1).filter((label) => label.length > 2);
  const isHost = labels.includes(said.join('')) || labels.some((label) => label === said.join('-'));
  return names.some((name) => name && isName(name)) || isHost ? rest.trim() : title;
}

interface PageMetadata {
  title: string | null;
  publisher: string | null;
  date: string | null;
  url: string | null;
  authors: string[];
}

/** JSON-LD first (what news sites fill in for search engines), then Open Graph and plain meta tags. */
function pageMetadata(document: Dom): PageMetadata {
  const meta = (key: string): string | null => {
    for (const el of document.querySelectorAll('meta')) {
      if (el.getAttribute('property') === key || el.getAttribute('name') === key || el.getAttribute('itemprop') === key) {
        const content = clean(el.getAttribute('content'));
        if (content) return content;
      }
    }
    return null;
  };
  const article = jsonLdArticle(document);
  const text = (value: unknown): string | null => (typeof value === 'string' ? clean(decodeEntities(document, value)) : null);
  const names = (value: unknown): string[] =>
    (Array.isArray(value) ? value : value ? [value] : [])
      .map((a) => text(typeof a === 'string' ? a : (a as { name?: unknown })?.name))
      .filter((a): a is string => !!a);
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null;
  const mainEntity = article?.mainEntityOfPage;
  const candidates = [canonical, meta('og:url'), text(article?.url), text(typeof mainEntity === 'string' ? mainEntity : (mainEntity as { '@id'?: unknown })?.['@id'])];
  const date = [text(article?.datePublished), meta('article:published_time'), meta('datePublished'), meta('date'), text(article?.dateCreated)]
    .map((d) => (d ? parseDate(d) : null))
    .find((d) => d) ?? null;
  const authorMeta = meta('author');
  return {
    title: text(article?.headline) ?? meta('og:title') ?? meta('twitter:title') ?? clean(document.querySelector('title')?.textContent),
    publisher: text((article?.publisher as { name?: unknown })?.name) ?? meta('og:site_name') ?? meta('application-name'),
    date,
    url: candidates.find((u): u is string => !!u && isHttpUrl(u)) ?? null,
    authors: names(article?.author).length ? names(article?.author) : bylineAuthors(authorMeta && !isHttpUrl(authorMeta) ? authorMeta : null),
  };
}

const ARTICLE_TYPES = /^(?:NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|BlogPosting|Report|WebPage)$/;

/** The page's JSON-LD article object (also inside @graph lists); a broken block is ignored like a browser would. */
function jsonLdArticle(document: Dom): Record<string, unknown> | null {
  const objects: Record<string, unknown>[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      objects.push(value as Record<string, unknown>);
      collect((value as Record<string, unknown>)['@graph']);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      collect(JSON.parse((script.textContent ?? '').replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')));
    } catch {
      // Not JSON: skip it.
    }
  }
  const typed = (o: Record<string, unknown>) => [o['@type']].flat().some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t));
  // A news article beats a generic web page description.
  return objects.filter(typed).sort((a, b) => Number(!!b.headline) - Number(!!a.headline) || Number([b['@type']].flat().includes('WebPage')) - Number([a['@type']].flat().includes('WebPage')))[0] ?? null;
}

const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'PRE', 'TD', 'TH', 'DT', 'DD', 'FIGCAPTION', 'DIV', 'SECTION', 'ARTICLE', 'TR', 'UL', 'OL', 'TABLE', 'FIGURE', 'HEADER', 'ASIDE']);

/** The text of the cleaned article, one line per block element; <br> ends a line. */
function blockLines(document: Dom): TextLine[] {
  const lines: TextLine[] = [];
  let current = '';
  let heading = false;
  const flush = () => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text) lines.push({ text, heading, links: [] });
    current = '';
    heading = false;
  };
  const walk = (node: DomNode): void => {
    if (node.nodeType === 3) {
      current += node.nodeValue ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node.tagName ?? '').toUpperCase();
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT' || tag === 'TEMPLATE') return;
    if (tag === 'BR') return flush();
    const block = BLOCKS.has(tag);
    if (block) flush();
    if (/^H[1-6]$/.test(tag)) heading = true;
    Array.from(node.childNodes).forEach(walk);
    if (block) flush();
  };
  walk(document.body as unknown as DomNode);
  flush();
  return lines;
}

/** Entities left in JSON-LD strings (some sites escape them twice) decoded by the DOM itself. */
function decodeEntities(document: Dom, value: string): string {
  if (!/[&<]/.test(value)) return value;
  const holder = document.createElement('div');
  holder.innerHTML = value;
  return holder.textContent ?? value;
}

function clean(value: string | null | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return norm(a) === norm(b);
}

function bylineAuthors(byline: string | null): string[] {
  return byline ? splitAuthors(byline.replace(/^by\s+/i, '')) : [];
}
