// Finds every article in the corpus folder and parses it; a bad file is skipped with a warning.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, CorpusWarning } from './types.js';
import { ArticleError, parseArticle } from './parse.js';

export class CorpusError extends Error {
  override name = 'CorpusError';
}

const ARTICLE_EXTENSIONS = new Set(['.txt', '.md', '.markdown']);

export interface LoadedCorpus {
  articles: Article[];
  /** Files the caller already has indexed with these exact bytes: not parsed (nor read, when their stamp matches). */
  unchanged: { file: string; hash: string; stamp: string }[];
  warnings: CorpusWarning[];
}

/** What the caller has indexed for a file, if anything. */
export type Known = (file: string) => { hash: string; stamp?: string } | undefined;

export async function loadCorpus(corpusDir: string, known?: Known): Promise<LoadedCorpus> {
  const info = await stat(corpusDir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new CorpusError(`The corpus folder ${corpusDir} does not exist. Create it and put .txt or .md articles in it, or pass --corpus DIR.`);
  }
  const files = await listArticleFiles(corpusDir);
  const articles: Article[] = [];
  const unchanged: LoadedCorpus['unchanged'] = [];
  const warnings: CorpusWarning[] = [];
  for (const file of files) {
    const result = await readArticle(corpusDir, file, known);
    if ('reason' in result) warnings.push(result);
    else if ('meta' in result) articles.push(result);
    else unchanged.push(result);
  }
  return { articles, unchanged, warnings };
}

/** Relative paths with forward slashes, sorted, so ids and order do not depend on the platform. */
async function listArticleFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && ARTICLE_EXTENSIONS.has(path.extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => !rel.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/**
 * A file's size and modification time: when both are what they were at indexing, the file is taken as
 * unchanged without reading it (as git and make do), so a re-index costs a stat per unchanged article.
 */
function stampOf(info: { size: number; mtimeMs: number }): string {
  return `${info.size}:${info.mtimeMs}`;
}

export async function readArticle(root: string, file: string, known?: Known): Promise<Article | CorpusWarning | { file: string; hash: string; stamp: string }> {
  let bytes: Buffer;
  let stamp: string;
  const indexed = known?.(file);
  try {
    stamp = stampOf(await stat(path.join(root, file)));
    if (indexed && indexed.stamp === stamp) return { file, hash: indexed.hash, stamp };
    bytes = await readFile(path.join(root, file));
  } catch (error) {
    return { file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (indexed?.hash === hash) return { file, hash, stamp };
  const text = decodeText(bytes);
  if (text === null) return { file, reason: 'is not a UTF-8 text file (binary data?)' };
  try {
    const { meta, text: body } = parseArticle(text, file);
    return { file, hash, stamp, meta, text: body };
  } catch (error) {
    if (error instanceof ArticleError) return { file, reason: error.message };
    throw error;
  }
}

function decodeText(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
