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
  warnings: CorpusWarning[];
}

/** Returns the already-parsed article for a file whose bytes hash to `hash`, if there is one. */
export type KnownArticle = (file: string, hash: string) => Article | undefined;

export async function loadCorpus(corpusDir: string, known?: KnownArticle): Promise<LoadedCorpus> {
  const info = await stat(corpusDir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new CorpusError(`The corpus folder ${corpusDir} does not exist. Create it and put .txt or .md articles in it, or pass --corpus DIR.`);
  }
  const files = await listArticleFiles(corpusDir);
  const articles: Article[] = [];
  const warnings: CorpusWarning[] = [];
  for (const file of files) {
    const result = await readArticle(corpusDir, file, known);
    if ('reason' in result) warnings.push(result);
    else articles.push(result);
  }
  return { articles, warnings };
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

export async function readArticle(root: string, file: string, known?: KnownArticle): Promise<Article | CorpusWarning> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(root, file));
  } catch (error) {
    return { file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const reused = known?.(file, hash);
  if (reused) return { file, hash, meta: reused.meta, text: reused.text };
  const text = decodeText(bytes);
  if (text === null) return { file, reason: 'is not a UTF-8 text file (binary data?)' };
  try {
    const { meta, text: body } = parseArticle(text, file);
    return { file, hash, meta, text: body };
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
