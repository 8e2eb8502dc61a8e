// Finds every article in the corpus folder and parses it. Every file that is not indexed is named with
// its reason (unsupported type, empty, unreadable, too large, not text...); nothing is dropped silently
// except hidden files and folders (names starting with "."), which hold our own records and editors' clutter.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, CorpusWarning } from './types.js';
import { BudgetedParser, DEFAULT_PARSE_BUDGET } from './budget.js';
import { ArticleError, ARTICLE_TYPES, isArticleType } from './parse.js';
import { readSourceRecord } from './sources.js';

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/** Default size limit of one article file: far above any article, below what would exhaust memory while indexing. */
export const DEFAULT_MAX_ARTICLE_BYTES = 25 * 1024 * 1024;

export interface CorpusOptions {
  /** What the caller has indexed for a file, if anything. */
  known?: Known;
  /** Files larger than this are skipped with their size and the limit. */
  maxBytes?: number;
  /** Told before the first file and after each one: reading a large corpus takes seconds. */
  onFile?: (done: number, total: number) => void;
  /** Parses each file in a worker within its time and memory budget (one with the default budget if not given). */
  parser?: BudgetedParser;
}

export interface LoadedCorpus {
  articles: Article[];
  /** Files the caller already has indexed with these exact bytes: not parsed (nor read, when their stamp matches). */
  unchanged: { file: string; hash: string; stamp: string }[];
  warnings: CorpusWarning[];
}

/** What the caller has indexed for a file, if anything. */
export type Known = (file: string) => { hash: string; stamp?: string } | undefined;

const SUPPORTED = Object.keys(ARTICLE_TYPES).join(', ');

export async function loadCorpus(corpusDir: string, options: CorpusOptions | Known = {}): Promise<LoadedCorpus> {
  const { known, maxBytes, onFile, parser: given } = typeof options === 'function' ? { known: options, maxBytes: undefined, onFile: undefined, parser: undefined } : options;
  const info = await stat(corpusDir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new CorpusError(`The corpus folder ${corpusDir} does not exist. Create it and put articles in it (${SUPPORTED}), or pass --corpus DIR.`);
  }
  const { files, warnings } = await listArticleFiles(corpusDir);
  const articles: Article[] = [];
  const unchanged: LoadedCorpus['unchanged'] = [];
  const parser = given ?? new BudgetedParser(DEFAULT_PARSE_BUDGET);
  onFile?.(0, files.length);
  try {
    for (const [i, file] of files.entries()) {
      const result = await readArticle(corpusDir, file, { known, maxBytes, parser });
      if ('reason' in result) warnings.push(result);
      else if ('meta' in result) articles.push(result);
      else unchanged.push(result);
      onFile?.(i + 1, files.length);
    }
  } finally {
    if (!given) await parser.close();
  }
  warnings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { articles, unchanged, warnings };
}

/**
 * Relative paths with forward slashes, sorted, so ids and order do not depend on the platform.
 * Symbolic links are followed (a link back into a folder already walked is a loop: skipped with a
 * warning, as is a link to a file already listed); a folder that cannot be read is skipped with a warning.
 */
export async function listArticleFiles(root: string): Promise<{ files: string[]; warnings: CorpusWarning[] }> {
  const files: string[] = [];
  const warnings: CorpusWarning[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const rel = (name: string) => path.relative(root, path.join(dir, name)).split(path.sep).join('/');
    let real: string;
    let entries;
    try {
      real = await realpath(dir);
      if (seenDirs.has(real)) {
        warnings.push({ file: `${rel('.')}/`, reason: 'is a symbolic link to a folder already read (a loop?): skipped' });
        return;
      }
      seenDirs.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      warnings.push({ file: `${rel('.') || '.'}/`, reason: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): skipped` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null);
        if (!target) {
          warnings.push({ file: rel(entry.name), reason: 'is a symbolic link to nothing (broken link): skipped' });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) await walk(full);
      else if (!isFile) warnings.push({ file: rel(entry.name), reason: 'is not a regular file: skipped' });
      else if (!isArticleType(entry.name)) {
        const ext = path.extname(entry.name).toLowerCase();
        warnings.push({ file: rel(entry.name), reason: `unsupported type ${ext || '(no extension)'}: Story Desk reads ${SUPPORTED}` });
      } else {
        const target = await realpath(full).catch(() => full);
        const first = seenFiles.get(target);
        if (first) warnings.push({ file: rel(entry.name), reason: `is the same file as ${first} (a symbolic link): skipped` });
        else {
          seenFiles.set(target, rel(entry.name));
          files.push(rel(entry.name));
        }
      }
    }
  };
  await walk(root);
  return { files: files.sort(), warnings };
}

/**
 * A file's size and modification time: when both are what they were at indexing, the file is taken as
 * unchanged without reading it (as git and make do), so a re-index costs a stat per unchanged article.
 */
function stampOf(info: { size: number; mtimeMs: number }): string {
  return `${info.size}:${info.mtimeMs}`;
}

export async function readArticle(
  root: string,
  file: string,
  options: { known?: Known | undefined; maxBytes?: number | undefined; parser: BudgetedParser },
): Promise<Article | CorpusWarning | { file: string; hash: string; stamp: string }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  let bytes: Buffer;
  let stamp: string;
  const indexed = options.known?.(file);
  const full = path.join(root, file);
  try {
    const info = await stat(full);
    stamp = stampOf(info);
    if (indexed && indexed.stamp === stamp) return { file, hash: indexed.hash, stamp };
    if (info.size > maxBytes) return { file, reason: `too large (${megabytes(info.size)}; the limit is ${megabytes(maxBytes)}, setting ARTICLE_MAX_MB)` };
    if (!info.size) return { file, reason: 'is empty' };
    bytes = await readFile(full);
  } catch (error) {
    return { file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const source = await readSourceRecord(full);
  const hash = createHash('sha256').update(bytes).update(source ? JSON.stringify(source) : '').digest('hex');
  if (indexed?.hash === hash) return { file, hash, stamp };
  try {
    const { parsed, sentences } = await options.parser.parse({ name: file, bytes, sourceUrl: source?.url ?? null, charset: source?.charset ?? null });
    const overLimit = textOverLimit(parsed.text, maxBytes);
    if (overLimit) return { file, reason: overLimit };
    return { file, hash, stamp, meta: parsed.meta, text: parsed.text, sentences, format: parsed.format, notes: parsed.notes };
  } catch (error) {
    if (error instanceof ArticleError) return { file, reason: error.message };
    return { file, reason: `could not be parsed (${(error as Error).message.split('\n')[0]})` };
  }
}

/**
 * The limit holds for the text read out of a file too: a compressed PDF of 0.4 MB can hold 9 MB of text, which
 * would cost what a 9 MB file costs to index.
 */
export function textOverLimit(text: string, maxBytes: number): string | null {
  const size = Buffer.byteLength(text);
  return size > maxBytes ? `too large: its text is ${megabytes(size)} (the limit is ${megabytes(maxBytes)}, setting ARTICLE_MAX_MB)` : null;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
