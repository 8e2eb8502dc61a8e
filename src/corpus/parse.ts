// One entry for every article file: the format is read from the bytes and the file name, and each
// format has its parser (text.ts for pasted text and markdown, html.ts, pdf.ts). The parsers load on first
// use: files are parsed in the parse worker, and the main thread (the bot answering, `npm run ask`) only
// needs this module's types and names, not ~0.4 s of parser libraries at every start.
import path from 'node:path';
import { ArticleError } from './article-error.js';
import type { ParsedArticle } from './text.js';
import type { ArticleFile, ArticleFormat } from './types.js';

export { ArticleError } from './article-error.js';

/** File types read as articles, by extension. Anything else is skipped with its reason. */
export const ARTICLE_TYPES: Readonly<Record<string, ArticleFormat>> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
};

export function isArticleType(name: string): boolean {
  return path.extname(name).toLowerCase() in ARTICLE_TYPES;
}

export interface ParsedFile extends ParsedArticle {
  format: ArticleFormat;
  notes: string[];
}

/** Loads every parser now (the parse worker, before it takes files): the first file then pays for itself only. */
export async function loadParsers(): Promise<void> {
  await Promise.all([import('./decode.js'), import('./html.js'), import('./pdf.js'), import('./text.js')]);
}

/** Parses an article file of any supported format; throws ArticleError with a reason a person can act on. */
export async function parseArticle(file: ArticleFile): Promise<ParsedFile> {
  const { name, bytes } = file;
  const sourceUrl = file.sourceUrl ?? null;
  if (!bytes.length) throw new ArticleError('is empty');
  const declared = ARTICLE_TYPES[path.extname(name).toLowerCase()] ?? 'text';
  if (startsWithPdfMarker(bytes)) {
    const { parsePdfArticle } = await import('./pdf.js');
    return { ...(await parsePdfArticle(bytes, name, sourceUrl)), format: 'pdf', notes: [] };
  }
  if (declared === 'pdf') throw new ArticleError('has a .pdf name but is not a PDF file');
  const { decodeText, NotTextError } = await import('./decode.js');
  let decoded;
  try {
    decoded = decodeText(bytes, file.charset ?? null);
  } catch (error) {
    if (error instanceof NotTextError) throw new ArticleError(error.message);
    throw error;
  }
  const notes = decoded.note ? [decoded.note] : [];
  const { looksLikeHtml, parseHtmlArticle } = await import('./html.js');
  if (declared === 'html' || looksLikeHtml(decoded.text)) return { ...parseHtmlArticle(decoded.text, name, sourceUrl), format: 'html', notes };
  const { parsePastedText } = await import('./text.js');
  return { ...parsePastedText(decoded.text, name, sourceUrl), format: declared, notes };
}

function startsWithPdfMarker(bytes: Uint8Array): boolean {
  // The header may follow a few bytes of junk; readers look in the first kilobyte.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes('%PDF-');
}
