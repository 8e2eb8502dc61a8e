// Adding articles as editors have them — a link, or a file — from the terminal (`npm run add`) and from
// Discord (/add) alike: fetch or read it, parse it (so a page with no article text is refused before it
// reaches the corpus), keep the original bytes as corpus/added/<date>-<slug>.<ext> with where it came
// from recorded beside it, then index incrementally. A running bot answers from it on its next reload.
// Fetching and parsing run first, unlocked; looking for an earlier copy, naming and writing run under the index
// lock, so concurrent adds never pick the same name nor add one page twice. Files are written under hidden names
// and moved into place; a journal lists the new files until the index is built, and the files of an add that was
// killed before that are removed by the next add (or `npm run index`).
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CoreConfig } from '../config.js';
import { BudgetedParser } from '../corpus/budget.js';
import { textOverLimit } from '../corpus/load.js';
import { ARTICLE_TYPES, ArticleError } from '../corpus/parse.js';
import { readSourceRecord, removeSourceRecord, writeSourceRecord } from '../corpus/sources.js';
import type { ArticleMeta } from '../corpus/types.js';
import type { Embedder } from '../embed/embedder.js';
import { buildIndex, type BuildOptions, type BuildSummary } from '../indexing/build.js';
import { loadIndex } from '../store/files.js';
import { processGone, withIndexLock } from '../store/lock.js';
import { ARTICLE_MEDIA_TYPES, FetchError, fetchArticle, type FetchOptions } from './fetch.js';

/** Where added articles go, inside the corpus folder. */
export const ADDED_FOLDER = 'added';

export class AddError extends Error {
  override name = 'AddError';
}

/** One thing to add: a link, a local file, or bytes already in hand (a Discord attachment, fetched by the caller). */
export type AddInput = { url: string } | { path: string } | { name: string; bytes: Buffer; url?: string | null } | { attachment: string; name: string };

export interface AddedArticle {
  input: string;
  /** Path relative to the corpus folder. */
  file: string;
  meta: ArticleMeta;
  chunks: number;
  /** The same address (or the same bytes) was added before: that file was updated, or left as it was. */
  status: 'added' | 'updated' | 'unchanged';
}

export interface AddFailure {
  input: string;
  reason: string;
}

export interface AddResult {
  added: AddedArticle[];
  failed: AddFailure[];
  summary: BuildSummary | null;
}

export interface AddSettings {
  fetch: FetchOptions;
  /** Recorded beside the article (a Discord user tag, or the shell user). */
  addedBy: string | null;
}

/** Adds every input it can, then indexes once; each input that cannot be added is reported with why. */
export async function addArticles(
  inputs: AddInput[],
  config: CoreConfig,
  embedder: Embedder,
  settings: AddSettings,
  options: BuildOptions = {},
): Promise<AddResult> {
  const dir = path.join(config.corpusDir, ADDED_FOLDER);
  await mkdir(dir, { recursive: true });
  const prepared: { input: string; article: Prepared }[] = [];
  const failed: AddFailure[] = [];
  // Each input is parsed in a worker within its time and memory budget: one over budget is refused, the rest go on.
  const parser = new BudgetedParser(config.parseBudget);
  try {
    for (const input of inputs) {
      const label = 'attachment' in input || 'bytes' in input ? input.name : 'url' in input ? input.url : input.path;
      try {
        prepared.push({ input: label, article: await prepare(input, config, settings, parser) });
      } catch (error) {
        if (error instanceof AddError || error instanceof FetchError || error instanceof ArticleError) failed.push({ input: label, reason: error.message });
        else throw error;
      }
    }
  } finally {
    await parser.close();
  }
  if (!prepared.length) return { added: [], failed, summary: null };
  const journal = new Journal(dir);
  const written: { input: string; file: string; fresh: boolean; status: AddedArticle['status'] }[] = [];
  let summary: BuildSummary;
  try {
    // The build takes the lock again: another add's build may index these files first, which is as good.
    await withIndexLock(config.indexDir, { waitMs: config.indexLockWaitMs, onWait: options.onLockWait }, async () => {
      for (const file of await removeAbandonedAdds(config.corpusDir)) options.onCleanup?.(`removed ${file}, left by an add that was stopped`);
      for (const { input, article } of prepared) written.push({ input, ...(await place(article, config, dir, settings, journal)) });
    });
    summary = await buildIndex(config, embedder, options);
  } catch (error) {
    // Not indexed, so not added: take back the new files (an update keeps the newer bytes for the next run).
    for (const w of written) if (w.fresh) await removeFile(config.corpusDir, w.file);
    await journal.close();
    throw error;
  }
  await journal.close();
  return outcome(written, failed, summary, config);
}

async function outcome(
  written: { input: string; file: string; status: AddedArticle['status'] }[],
  failed: AddFailure[],
  summary: BuildSummary,
  config: CoreConfig,
): Promise<AddResult> {
  const index = await loadIndex(config.indexDir);
  const added: AddedArticle[] = [];
  for (const w of written) {
    const article = index.articles.find((a) => a.file === w.file);
    const entry = index.manifest.articles[w.file];
    if (article && entry) added.push({ input: w.input, file: w.file, meta: article.meta, chunks: entry.chunks, status: w.status });
    else failed.push({ input: w.input, reason: summary.warnings.find((x) => x.file === w.file)?.reason ?? 'was not indexed' });
  }
  return { added, failed, summary };
}

interface Prepared {
  bytes: Buffer;
  extension: string;
  url: string | null;
  charset: string | null;
  /** What the file is named after: `<date>-<slug of the title>`. */
  base: string;
}

/** Fetches or reads one input and parses it (an article the index would skip is refused here, with the same reason). */
async function prepare(input: AddInput, config: CoreConfig, settings: AddSettings, parser: BudgetedParser): Promise<Prepared> {
  let bytes: Buffer;
  let extension: string;
  let url: string | null = null;
  let charset: string | null = null;
  if ('bytes' in input) {
    bytes = input.bytes;
    extension = extensionOf(input.name);
    url = input.url ?? null;
  } else if ('attachment' in input) {
    // A file attached on Discord: its name says what it is; its (expiring) address is not worth recording.
    extension = extensionOf(input.name);
    const fetched = await fetchArticle(input.attachment, { ...settings.fetch, anyType: true });
    bytes = fetched.bytes;
    charset = fetched.charset;
  } else if ('url' in input) {
    // The operator's trusted origins are for attachments: a pasted link to one is checked like any other.
    const fetched = await fetchArticle(input.url, { ...settings.fetch, trustedOrigins: [] });
    bytes = fetched.bytes;
    extension = ARTICLE_MEDIA_TYPES[fetched.mediaType]!;
    // A PDF or page served as text/plain is still what its bytes say.
    if (bytes.subarray(0, 1024).includes('%PDF-')) extension = '.pdf';
    url = fetched.url;
    charset = fetched.charset;
  } else {
    extension = extensionOf(input.path);
    const info = await stat(input.path).catch(() => null);
    if (!info?.isFile()) throw new AddError(`${input.path} is not a file that can be read`);
    if (info.size > config.articleMaxBytes)
      throw new AddError(`${input.path} is larger than ${(config.articleMaxBytes / 1024 / 1024).toFixed(1)} MB (ARTICLE_MAX_MB)`);
    bytes = await readFile(input.path);
  }
  if (bytes.length > config.articleMaxBytes) throw new AddError(`it is larger than ${(config.articleMaxBytes / 1024 / 1024).toFixed(1)} MB (ARTICLE_MAX_MB)`);
  // Parsed before it is kept: an article the index would skip is refused here, with the same reason.
  const { parsed } = await parser.parse({ name: `x${extension}`, bytes, sourceUrl: url, charset });
  const overLimit = textOverLimit(parsed.text, config.articleMaxBytes);
  if (overLimit) throw new AddError(overLimit);
  return { bytes, extension, url, charset, base: `${parsed.meta.date ?? today()}-${slug(parsed.meta.title)}` };
}

/**
 * Writes one prepared article into corpus/added/ (the caller holds the index lock): the same address or bytes as an
 * added article updates it or leaves it; a new one gets a free name, claimed by a hard link that fails rather than
 * replace a file. Returns its file (relative to the corpus).
 */
async function place(
  article: Prepared,
  config: CoreConfig,
  dir: string,
  settings: AddSettings,
  journal: Journal,
): Promise<{ file: string; fresh: boolean; status: AddedArticle['status'] }> {
  const { bytes, extension, url, charset } = article;
  const existing = await findExisting(dir, url, bytes);
  if (existing?.sameBytes) return { file: relative(config, existing.file), fresh: false, status: 'unchanged' };
  const record = { url, charset, addedAt: new Date().toISOString(), addedBy: settings.addedBy };
  const incoming = await journal.incoming(bytes);
  if (existing) {
    await writeSourceRecord(existing.file, record);
    await rename(incoming, existing.file);
    return { file: relative(config, existing.file), fresh: false, status: 'updated' };
  }
  for (let n = 1; ; n++) {
    const target = path.join(dir, `${article.base}${n > 1 ? `-${n}` : ''}${extension}`);
    if (await stat(target).catch(() => null)) continue;
    await journal.claim(target);
    try {
      await link(incoming, target);
    } catch (error) {
      await journal.unclaim(target);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // Taken since the look (not by an add: they hold the lock).
      throw error;
    }
    await writeSourceRecord(target, record);
    await unlink(incoming);
    return { file: relative(config, target), fresh: true, status: 'added' };
  }
}

const JOURNAL_PREFIX = '.adding-';

interface JournalData {
  pid: number;
  host: string;
  /** New files (absolute paths) of this add, taken back if it never finishes. */
  files: string[];
}

/**
 * What one add has put into corpus/added/ until its index is built: hidden incoming files (`.adding-<id>-<n>`) and
 * the new articles' names, listed in `.adding-<id>.json` before each is written. Closed when the add is done (or
 * taken back); left behind by a killed add, whose process is then gone, it tells the next add what to remove.
 */
class Journal {
  private readonly id = randomUUID();
  private readonly data: JournalData = { pid: process.pid, host: os.hostname(), files: [] };
  private count = 0;

  constructor(private readonly dir: string) {}

  private get file(): string {
    return path.join(this.dir, `${JOURNAL_PREFIX}${this.id}.json`);
  }

  /** The bytes written under a hidden name in the same folder (so that moving them into place is one rename). */
  async incoming(bytes: Buffer): Promise<string> {
    if (!this.count) await this.save();
    const file = path.join(this.dir, `${JOURNAL_PREFIX}${this.id}-${++this.count}`);
    await writeFile(file, bytes);
    return file;
  }

  /** Records a new article's name before it is written. */
  async claim(file: string): Promise<void> {
    this.data.files.push(file);
    await this.save();
  }

  /** The name was taken by someone else after all: not ours to remove. */
  async unclaim(file: string): Promise<void> {
    this.data.files = this.data.files.filter((f) => f !== file);
    await this.save();
  }

  async close(): Promise<void> {
    await removeJournal(this.dir, this.id);
  }

  /** Written aside and renamed over: a kill never leaves a journal that lists less than was written. */
  private async save(): Promise<void> {
    const next = path.join(this.dir, `${JOURNAL_PREFIX}${this.id}-journal`);
    await writeFile(next, JSON.stringify(this.data));
    await rename(next, this.file);
  }
}

/** Removes a journal and the incoming files it names. */
async function removeJournal(dir: string, id: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.startsWith(`${JOURNAL_PREFIX}${id}-`)) await rm(path.join(dir, name), { force: true });
  await rm(path.join(dir, `${JOURNAL_PREFIX}${id}.json`), { force: true });
}

/**
 * Takes back what adds that were killed before their index was built left in corpus/added/: the new articles no
 * editor was told about (and their source records), and hidden incoming files. Returns the articles removed.
 * Safe at any time: an add still running (its process alive) is left alone.
 */
export async function removeAbandonedAdds(corpusDir: string): Promise<string[]> {
  const dir = path.join(corpusDir, ADDED_FOLDER);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const id = /^\.adding-([0-9a-f-]{36})\.json$/.exec(name)?.[1];
    if (!id) continue;
    let data: Partial<JournalData> | null = null;
    try {
      data = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as Partial<JournalData>;
    } catch {
      // Unreadable (journals are renamed into place whole, so only a damaged disk does this): left alone until old.
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (!info || Date.now() - info.mtimeMs < 60_000) continue;
      data = {};
    }
    if (typeof data.pid === 'number' && !processGone(data.pid, String(data.host ?? ''))) continue;
    for (const file of Array.isArray(data.files) ? data.files : []) {
      if (typeof file !== 'string' || path.dirname(path.resolve(file)) !== path.resolve(dir)) continue; // only ever its own folder
      if (!(await stat(file).catch(() => null))) continue;
      await removeFile(corpusDir, path.relative(corpusDir, file));
      removed.push(path.relative(corpusDir, file).split(path.sep).join('/'));
    }
    await removeJournal(dir, id);
  }
  return removed;
}

function extensionOf(name: string): string {
  const extension = path.extname(name).toLowerCase();
  if (!(extension in ARTICLE_TYPES)) throw new AddError(`${path.basename(name)} is not a type Story Desk reads (${Object.keys(ARTICLE_TYPES).join(', ')})`);
  return extension === '.htm' || extension === '.xhtml' ? '.html' : extension;
}

/** An added article with the same address (re-adding a link updates it) or the same bytes. */
async function findExisting(dir: string, url: string | null, bytes: Buffer): Promise<{ file: string; sameBytes: boolean } | null> {
  const digest = createHash('sha256').update(bytes).digest('hex');
  for (const name of await readdir(dir)) {
    if (name.startsWith('.')) continue;
    const file = path.join(dir, name);
    const record = await readSourceRecord(file);
    const sameUrl = url !== null && record?.url === url;
    const sameBytes =
      createHash('sha256')
        .update(await readFile(file).catch(() => Buffer.alloc(0)))
        .digest('hex') === digest;
    if (sameUrl || sameBytes) return { file, sameBytes };
  }
  return null;
}

/** "Port Alder & Bremmin sign a deal" → "port-alder-bremmin-sign-a-deal", at most 60 characters. */
export function slug(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = '';
  for (const word of words) {
    if (out && out.length + word.length + 1 > 60) break;
    out = out ? `${out}-${word}` : word.slice(0, 60);
  }
  return out || 'article';
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function relative(config: CoreConfig, file: string): string {
  return path.relative(config.corpusDir, file).split(path.sep).join('/');
}

async function removeFile(corpusDir: string, file: string): Promise<void> {
  const full = path.join(corpusDir, file);
  await rm(full, { force: true });
  await removeSourceRecord(full);
}

export interface RemoveResult {
  file: string;
  meta: ArticleMeta | null;
  summary: BuildSummary | null;
}

/**
 * Removes an added article — named by its file (as `/sources` lists it) or by its title — and re-indexes.
 * Only articles in corpus/added/ can be removed this way: the rest of the corpus is the server's to manage.
 */
export async function removeArticle(query: string, config: CoreConfig, embedder: Embedder, options: BuildOptions = {}): Promise<RemoveResult> {
  const wanted = query.trim();
  if (!wanted) throw new AddError('say which article to remove: its title or its file (as /sources shows it)');
  const index = await loadIndex(config.indexDir).catch(() => null);
  const prefix = `${ADDED_FOLDER}/`;
  const candidates = (index?.articles ?? []).filter((a) => a.file.startsWith(prefix));
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const byFile = candidates.filter((a) => a.file === wanted || a.file === `${prefix}${wanted}`);
  const byTitle = candidates.filter((a) => norm(a.meta.title) === norm(wanted));
  const byPart = candidates.filter((a) => norm(a.meta.title).includes(norm(wanted)));
  const matches = byFile.length ? byFile : byTitle.length ? byTitle : byPart;
  if (!matches.length) {
    const elsewhere = index?.articles.find((a) => a.file === wanted || norm(a.meta.title) === norm(wanted));
    if (elsewhere)
      throw new AddError(
        `“${elsewhere.meta.title}” (${elsewhere.file}) was not added from Discord or npm run add: remove it from the corpus folder on the server`,
      );
    throw new AddError(`no added article has the title or file “${wanted}”`);
  }
  if (matches.length > 1)
    throw new AddError(
      `“${wanted}” matches ${matches.length} added articles: ${matches
        .slice(0, 5)
        .map((a) => a.file)
        .join(', ')}. Give the file name.`,
    );
  const article = matches[0]!;
  // Under the lock, as adds place theirs: an add looking for an earlier copy never sees a file half removed.
  await withIndexLock(config.indexDir, { waitMs: config.indexLockWaitMs, onWait: options.onLockWait }, () => removeFile(config.corpusDir, article.file));
  const summary = await buildIndex(config, embedder, options).catch((error: Error) => {
    // An empty corpus cannot be indexed: the article is gone from the folder all the same.
    if (error.name === 'CorpusError') return null;
    throw error;
  });
  return { file: article.file, meta: article.meta, summary };
}

/** The fetch limits for this configuration; `trustedOrigins` for the operator's own Discord CDN. */
export function fetchOptionsOf(config: CoreConfig, trustedOrigins: string[] = []): FetchOptions {
  return { timeoutMs: config.adding.fetchTimeoutMs, maxBytes: config.articleMaxBytes, allowPrivate: config.adding.allowPrivateUrls, trustedOrigins };
}

/** One line per added article, the same in the terminal and on Discord: title, publisher, date, chunks, file. */
export function describeAdded(article: AddedArticle): string {
  const { title, publisher, date } = article.meta;
  const verb = article.status === 'added' ? 'Added' : article.status === 'updated' ? 'Updated' : 'Already there';
  return `${verb}: “${title}” — ${publisher ?? 'publisher unknown'}, ${date ?? 'no date'} (${article.chunks} chunk${article.chunks === 1 ? '' : 's'}) as ${article.file}`;
}
