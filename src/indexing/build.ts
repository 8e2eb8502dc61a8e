// Corpus → parse → sentences → chunks → embeddings → a new index version, reusing every
// unchanged article from the previous version so a re-index costs only what changed. When articles were
// only added, the previous segments are kept untouched and the new ones become one more segment;
// after a change or removal (or once there are MAX_SEGMENTS) everything is repacked into one segment.
import type { CoreConfig } from '../config.js';
import { BudgetedParser } from '../corpus/budget.js';
import { CorpusError, loadCorpus, readArticle } from '../corpus/load.js';
import type { CorpusWarning } from '../corpus/types.js';

export interface CorpusNote {
  file: string;
  note: string;
}
import type { Embedder } from '../embed/embedder.js';
import { termCounts } from '../store/lexical.js';
import {
  currentVersionDir,
  damagedSegments,
  loadVersion,
  readManifest,
  removeLeftovers,
  rewriteManifest,
  writeVersion,
  type ManifestDraft,
} from '../store/files.js';
import { withIndexLock } from '../store/lock.js';
import { FORMAT_VERSION, type BuildSettings, type Manifest } from '../store/types.js';
import { assemble, inSlices, partsOf, planArticle, type Part } from './parts.js';

export interface BuildOptions {
  /** Ignore the previous index and embed everything again. */
  full?: boolean;
  /** A file that is not indexed, with why. */
  onWarning?: (warning: CorpusWarning) => void;
  /** Something about a file that is indexed all the same (e.g. read as Windows-1252). */
  onNote?: (note: CorpusNote) => void;
  onPlan?: (plan: { embed: number; reuse: number; remove: number; passages: number; reason: string | null }) => void;
  /** Files read (and parsed when changed): told before the first and after each. */
  onRead?: (done: number, total: number) => void;
  /** Chunks embedded, told before the first batch and after each; `share` is the share of the work done. */
  onProgress?: (done: number, total: number, share: number) => void;
  /** Told when another build holds the index lock and this one waits for it. */
  onLockWait?: (holder: string) => void;
  /** Told of each damaged segment found in the live version, and how many articles are embedded again for it. */
  onRepair?: (repair: Repair) => void;
  /** Told of things cleaned up: a stale lock, staging folders of killed builds. */
  onCleanup?: (what: string) => void;
}

export interface Repair {
  segment: string;
  problem: string;
  articles: number;
}

export interface BuildSummary {
  articles: number;
  chunks: number;
  embeddedArticles: number;
  reusedArticles: number;
  removedArticles: number;
  warnings: CorpusWarning[];
  notes: CorpusNote[];
  repairs: Repair[];
  seconds: number;
  versionDir: string;
}

/** Bounds the files a load opens; repacking costs one full rewrite every so many additions. */
const MAX_SEGMENTS = 8;

/**
 * Builds or updates the index, holding the index folder's lock from reading the live version until the new
 * one is live: concurrent builds queue (up to INDEX_LOCK_WAIT_SECONDS), so none publishes a version that
 * lacks what another added.
 */
export async function buildIndex(config: CoreConfig, embedder: Embedder, options: BuildOptions = {}): Promise<BuildSummary> {
  const lock = {
    waitMs: config.indexLockWaitMs,
    onWait: options.onLockWait,
    onStale: (holder: string) => options.onCleanup?.(`removed a stale lock (${holder})`),
  };
  return withIndexLock(config.indexDir, lock, async () => {
    for (const leftover of await removeLeftovers(config.indexDir)) options.onCleanup?.(`removed ${leftover} left by a build that was stopped`);
    // Files are parsed in a worker thread, each within its budget; the worker goes when the build ends.
    const parser = new BudgetedParser(config.parseBudget);
    try {
      return await buildLocked(config, embedder, options, parser);
    } finally {
      await parser.close();
    }
  });
}

async function buildLocked(config: CoreConfig, embedder: Embedder, options: BuildOptions, parser: BudgetedParser): Promise<BuildSummary> {
  const started = performance.now();
  const settings: BuildSettings = {
    formatVersion: FORMAT_VERSION,
    model: embedder.modelId,
    quantized: config.embedding.quantized,
    passagePrefix: config.embedding.passagePrefix,
    dimensions: embedder.dimensions,
    // A chunk longer than the model's input is partly unseen by it: chunks never exceed what the model reads.
    chunker: { ...config.chunker, maxTokens: Math.min(config.chunker.maxTokens, embedder.maxPassageTokens) },
  };
  const { previous, reason: firstReason } = await previousVersion(config.indexDir, settings, options.full ?? false);
  let reason = firstReason;
  const indexed = previous?.manifest.articles ?? {};
  // Segments whose files are missing or damaged are never reused: their articles are embedded again.
  const damage = previous ? await damagedSegments(previous.dir, previous.manifest) : new Map<string, string>();
  const repairs = [...damage].map(([segment, problem]) => ({ segment, problem, articles: Object.values(indexed).filter((a) => a.segment === segment).length }));
  for (const repair of repairs) options.onRepair?.(repair);
  const reusable = (file: string) => (damage.has(indexed[file]?.segment ?? '') ? undefined : indexed[file]);

  // A file with the same bytes as when it was indexed is not parsed again (nor read, if its stamp is the same).
  const {
    articles: parsed,
    unchanged,
    warnings,
  } = await loadCorpus(config.corpusDir, { known: reusable, maxBytes: config.articleMaxBytes, onFile: options.onRead, parser });
  const stamps = new Map([...parsed, ...unchanged].map((a) => [a.file, a.stamp]));
  const present = new Set([...parsed, ...unchanged].map((a) => a.file));
  const removed = Object.keys(indexed).filter((file) => !present.has(file)).length;
  const append =
    previous !== null && damage.size === 0 && removed === 0 && parsed.every((a) => !indexed[a.file]) && previous.manifest.segments.length < MAX_SEGMENTS;

  // Repacking: unchanged articles come from the previous version in memory, or are read again if it is unreadable.
  const toEmbed = [...parsed];
  const reused = new Map<string, Part>();
  if (!append) {
    const intact = new Set(previous?.manifest.segments.map((s) => s.name).filter((name) => !damage.has(name)));
    const previousParts = previous
      ? await loadVersion(previous.dir, previous.manifest, intact).then(partsOf, (error: Error) => {
          reason = `previous index unreadable (${error.message.split('\n')[0]})`;
          return new Map<string, Part>();
        })
      : new Map<string, Part>();
    if (repairs.length) reason = `repairing ${repairs.length} damaged segment(s)`;
    for (const { file, hash } of unchanged) {
      const part = previousParts.get(file);
      if (part?.article.hash === hash) reused.set(file, part);
      else {
        const article = await readArticle(config.corpusDir, file, { maxBytes: config.articleMaxBytes, parser });
        if ('reason' in article) warnings.push(article);
        else if ('meta' in article) toEmbed.push(article);
      }
    }
  }
  // Every file is read: the worker's heap goes now, not after embedding (it held a 6 MB article's parse: 974 MiB peak).
  await parser.close();
  for (const w of warnings) options.onWarning?.(w);
  const notes = toEmbed.flatMap((a) => a.notes.map((note) => ({ file: a.file, note })));
  for (const n of notes) options.onNote?.(n);
  const total = toEmbed.length + (append ? unchanged.length : reused.size);
  if (!total) {
    throw new CorpusError(
      `No articles to index in ${config.corpusDir}${warnings.length ? ` (${warnings.length} file(s) skipped, see warnings above)` : ''}. Add articles (.txt, .md, .html, .pdf) and run npm run index again.`,
    );
  }

  const planned: Awaited<ReturnType<typeof planArticle>>[] = [];
  for (const article of toEmbed) planned.push(await planArticle(article, embedder, { ...config, chunker: settings.chunker }));
  const passages = planned.flatMap((p) => p.passages);
  options.onPlan?.({ embed: toEmbed.length, reuse: total - toEmbed.length, remove: removed, passages: passages.length, reason });

  options.onProgress?.(0, passages.length, 0);
  const embedded = await embedder.embedPassages(passages, (done, share) => options.onProgress?.(done, passages.length, share));
  let cursor = 0;
  const fresh: Part[] = [];
  for (const plan of planned) {
    const results = embedded.slice(cursor, cursor + plan.chunks.length);
    cursor += plan.chunks.length;
    // A sentence in two chunks (the overlap) takes its vector from the first chunk that holds it.
    const sentenceVectors: Float32Array[] = new Array(plan.article.sentences.length);
    plan.chunks.forEach((chunk, c) => {
      results[c]!.pieces.forEach((vector, k) => {
        sentenceVectors[chunk.firstSentence + k] ??= vector;
      });
    });
    const chunkTerms = await inSlices(plan.chunks, (c) => termCounts(c.text));
    fresh.push({ article: plan.article, chunks: plan.chunks, chunkVectors: results.map((r) => r.vector), sentenceVectors, chunkTerms });
  }

  let versionDir: string;
  let manifest: ManifestDraft;
  const kept = Object.fromEntries(Object.entries(indexed).map(([file, entry]) => [file, { ...entry, stamp: stamps.get(file) }]));
  if (append && !fresh.length) {
    // Nothing new: the live version already is this corpus; only touched files' stamps may need recording.
    versionDir = previous!.dir;
    manifest = previous!.manifest;
    if (Object.entries(kept).some(([file, entry]) => indexed[file]!.stamp !== entry.stamp)) {
      manifest = { ...previous!.manifest, articles: kept };
      await rewriteManifest(versionDir, manifest as Manifest);
    }
  } else if (append) {
    manifest = manifestOf(settings, { ...kept, ...entriesOf(fresh, stamps) });
    versionDir = await writeVersion(config.indexDir, manifest, assemble(fresh, settings.dimensions), {
      dir: previous!.dir,
      segments: previous!.manifest.segments,
    });
  } else {
    const parts = [...reused.values(), ...fresh].sort((a, b) => (a.article.file < b.article.file ? -1 : 1));
    manifest = manifestOf(settings, entriesOf(parts, stamps));
    versionDir = await writeVersion(config.indexDir, manifest, assemble(parts, settings.dimensions));
  }
  return {
    articles: manifest.totals.articles,
    chunks: manifest.totals.chunks,
    embeddedArticles: toEmbed.length,
    reusedArticles: manifest.totals.articles - toEmbed.length,
    removedArticles: removed,
    warnings,
    notes,
    repairs,
    seconds: (performance.now() - started) / 1000,
    versionDir,
  };
}

/** The live version's folder and manifest, when its settings allow reusing what it holds. */
async function previousVersion(
  indexDir: string,
  settings: BuildSettings,
  full: boolean,
): Promise<{ previous: { dir: string; manifest: Manifest } | null; reason: string | null }> {
  const dir = await currentVersionDir(indexDir);
  if (!dir) return { previous: null, reason: 'no previous index' };
  if (full) return { previous: null, reason: 'full rebuild requested' };
  let manifest: Manifest;
  try {
    manifest = await readManifest(dir);
  } catch (error) {
    return { previous: null, reason: `previous index unreadable (${(error as Error).message.split('\n')[0]})` };
  }
  const changed = settingsChange(manifest, settings);
  return changed ? { previous: null, reason: `${changed} changed: full rebuild` } : { previous: { dir, manifest }, reason: null };
}

function settingsChange(old: BuildSettings, now: BuildSettings): string | null {
  if (old.formatVersion !== now.formatVersion) return 'index format';
  if (old.model !== now.model || old.quantized !== now.quantized || old.dimensions !== now.dimensions) return 'embedding model';
  if (old.passagePrefix !== now.passagePrefix) return 'passage prefix';
  if (old.chunker.maxTokens !== now.chunker.maxTokens || old.chunker.overlapSentences !== now.chunker.overlapSentences) return 'chunker setting';
  return null;
}

function entriesOf(parts: Part[], stamps: Map<string, string>): ManifestDraft['articles'] {
  const articles: ManifestDraft['articles'] = {};
  for (const p of parts)
    articles[p.article.file] = { hash: p.article.hash, stamp: stamps.get(p.article.file), chunks: p.chunks.length, sentences: p.article.sentences.length };
  return articles;
}

function manifestOf(settings: BuildSettings, articles: ManifestDraft['articles']): ManifestDraft {
  const entries = Object.values(articles);
  return {
    ...settings,
    builtAt: new Date().toISOString(),
    articles,
    totals: {
      articles: entries.length,
      chunks: entries.reduce((n, a) => n + a.chunks, 0),
      sentences: entries.reduce((n, a) => n + a.sentences, 0),
    },
  };
}
