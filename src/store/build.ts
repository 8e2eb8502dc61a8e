// Corpus → parse → sentences → chunks → embeddings → a new index version, reusing every
// unchanged article from the previous version so a re-index costs only what changed. When articles were
// only added, the previous segments are kept untouched and the new ones become one more segment;
// after a change or removal (or once there are MAX_SEGMENTS) everything is repacked into one segment.
import type { CoreConfig } from '../config.js';
import { CorpusError, loadCorpus, readArticle } from '../corpus/load.js';
import type { Article, CorpusWarning } from '../corpus/types.js';
import { chunkSentences } from '../chunk/chunker.js';
import { splitSentences } from '../chunk/sentences.js';
import type { Embedder, PassageInput } from '../embed/embedder.js';
import { buildLexical, termCounts, type TermCounts } from '../retrieve/lexical.js';
import { currentVersionDir, rewriteManifest, loadIndex, readManifest, segmentsIntact, writeVersion, type SegmentContents } from './files.js';
import { FORMAT_VERSION, type BuildSettings, type ChunkRecord, type IndexedArticle, type LoadedIndex, type Manifest } from './types.js';

export interface BuildOptions {
  /** Ignore the previous index and embed everything again. */
  full?: boolean;
  onWarning?: (warning: CorpusWarning) => void;
  onPlan?: (plan: { embed: number; reuse: number; remove: number; passages: number; reason: string | null }) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildSummary {
  articles: number;
  chunks: number;
  embeddedArticles: number;
  reusedArticles: number;
  removedArticles: number;
  warnings: CorpusWarning[];
  seconds: number;
  versionDir: string;
}

/** An article's share of a version: its record, chunks and vectors, ready to copy into the next one. */
interface Part {
  article: IndexedArticle;
  chunks: ChunkRecord[];
  chunkVectors: Float32Array[];
  sentenceVectors: Float32Array[];
  chunkTerms: TermCounts[];
}

/** Bounds the files a load opens; repacking costs one full rewrite every so many additions. */
const MAX_SEGMENTS = 8;

export async function buildIndex(config: CoreConfig, embedder: Embedder, options: BuildOptions = {}): Promise<BuildSummary> {
  const started = performance.now();
  const settings: BuildSettings = {
    formatVersion: FORMAT_VERSION,
    model: embedder.modelId,
    quantized: config.embedding.quantized,
    passagePrefix: config.embedding.passagePrefix,
    dimensions: embedder.dimensions,
    chunker: { ...config.chunker },
  };
  const { previous, reason: firstReason } = await previousVersion(config.indexDir, settings, options.full ?? false);
  let reason = firstReason;
  const indexed = previous?.manifest.articles ?? {};

  // A file with the same bytes as when it was indexed is not parsed again (nor read, if its stamp is the same).
  const { articles: parsed, unchanged, warnings } = await loadCorpus(config.corpusDir, (file) => indexed[file]);
  const stamps = new Map([...parsed, ...unchanged].map((a) => [a.file, a.stamp]));
  const present = new Set([...parsed, ...unchanged].map((a) => a.file));
  const removed = Object.keys(indexed).filter((file) => !present.has(file)).length;
  const append =
    previous !== null &&
    removed === 0 &&
    parsed.every((a) => !indexed[a.file]) &&
    previous.manifest.segments.length < MAX_SEGMENTS &&
    (await segmentsIntact(previous.dir, previous.manifest));

  // Repacking: unchanged articles come from the previous version in memory, or are read again if it is unreadable.
  const toEmbed = [...parsed];
  const reused = new Map<string, Part>();
  if (!append) {
    const previousParts = previous ? await loadIndex(config.indexDir).then(partsOf, (error: Error) => {
      reason = `previous index unreadable (${error.message.split('\n')[0]})`;
      return new Map<string, Part>();
    }) : new Map<string, Part>();
    for (const { file, hash } of unchanged) {
      const part = previousParts.get(file);
      if (part?.article.hash === hash) reused.set(file, part);
      else {
        const article = await readArticle(config.corpusDir, file);
        if ('reason' in article) warnings.push(article);
        else if ('meta' in article) toEmbed.push(article);
      }
    }
  }
  warnings.forEach((w) => options.onWarning?.(w));
  const total = toEmbed.length + (append ? unchanged.length : reused.size);
  if (!total) {
    throw new CorpusError(
      `No articles to index in ${config.corpusDir}${warnings.length ? ` (${warnings.length} file(s) skipped, see warnings above)` : ''}. Add .txt or .md files and run npm run index again.`,
    );
  }

  const planned = toEmbed.map((article) => planArticle(article, embedder, config));
  const passages = planned.flatMap((p) => p.passages);
  options.onPlan?.({ embed: toEmbed.length, reuse: total - toEmbed.length, remove: removed, passages: passages.length, reason });

  const embedded = await embedder.embedPassages(passages, (done) => options.onProgress?.(done, passages.length));
  let cursor = 0;
  const fresh: Part[] = [];
  for (const plan of planned) {
    const results = embedded.slice(cursor, cursor + plan.chunks.length);
    cursor += plan.chunks.length;
    // A sentence in two chunks (the overlap) takes its vector from the first chunk that holds it.
    const sentenceVectors: Float32Array[] = new Array(plan.article.sentences.length);
    plan.chunks.forEach((chunk, c) => {
      results[c]!.pieces.forEach((vector, k) => (sentenceVectors[chunk.firstSentence + k] ??= vector));
    });
    const chunkTerms = plan.chunks.map((c) => termCounts(c.text));
    fresh.push({ article: plan.article, chunks: plan.chunks, chunkVectors: results.map((r) => r.vector), sentenceVectors, chunkTerms });
  }

  let versionDir: string;
  let manifest: Omit<Manifest, 'segments'>;
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
    versionDir = await writeVersion(config.indexDir, manifest, assemble(fresh, settings.dimensions), { dir: previous!.dir, segments: previous!.manifest.segments });
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
    seconds: (performance.now() - started) / 1000,
    versionDir,
  };
}

/** The live version's folder and manifest, when its settings allow reusing what it holds. */
async function previousVersion(indexDir: string, settings: BuildSettings, full: boolean): Promise<{ previous: { dir: string; manifest: Manifest } | null; reason: string | null }> {
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

function partsOf(index: LoadedIndex): Map<string, Part> {
  const dims = index.manifest.dimensions;
  const parts = new Map<string, Part>();
  const chunkTerms = index.lexical.termCountsByChunk();
  index.articles.forEach((article) => parts.set(article.file, { article, chunks: [], chunkVectors: [], sentenceVectors: [], chunkTerms: [] }));
  index.chunks.forEach((chunk, i) => {
    const part = parts.get(index.articles[chunk.article]!.file)!;
    part.chunks.push(chunk);
    part.chunkTerms.push(chunkTerms[i]!);
    part.chunkVectors.push(index.chunkVectors.subarray(i * dims, (i + 1) * dims));
  });
  for (const part of parts.values()) {
    const { sentenceRow, sentences } = part.article;
    for (let s = 0; s < sentences.length; s++) part.sentenceVectors.push(index.sentenceVectors.row(sentenceRow + s));
  }
  return parts;
}

function planArticle(source: Article, embedder: Embedder, config: CoreConfig): { article: IndexedArticle; chunks: ChunkRecord[]; passages: PassageInput[] } {
  const sentences = splitSentences(source.text);
  const sentenceIds = embedder.tokenize(sentences.map((s) => source.text.slice(s.start, s.end)));
  const tokenCounts = sentenceIds.map((ids) => ids.length);
  const article: IndexedArticle = { file: source.file, hash: source.hash, meta: source.meta, text: source.text, sentences, sentenceRow: 0 };
  const chunks = chunkSentences(sentences, tokenCounts, config.chunker).map((c) => ({ ...c, article: 0, text: source.text.slice(c.start, c.end) }));
  const passages = chunks.map((c) => ({ text: c.text, pieces: sentenceIds.slice(c.firstSentence, c.endSentence) }));
  return { article, chunks, passages };
}

function entriesOf(parts: Part[], stamps: Map<string, string>): Manifest['articles'] {
  const articles: Manifest['articles'] = {};
  for (const p of parts) articles[p.article.file] = { hash: p.article.hash, stamp: stamps.get(p.article.file), chunks: p.chunks.length, sentences: p.article.sentences.length };
  return articles;
}

function manifestOf(settings: BuildSettings, articles: Manifest['articles']): Omit<Manifest, 'segments'> {
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

/** Packs the parts into one segment: article positions and sentence rows renumbered, vectors copied once. */
function assemble(parts: Part[], dims: number): SegmentContents {
  const chunkVectors = new Float32Array(parts.reduce((n, p) => n + p.chunks.length, 0) * dims);
  const sentenceVectors = new Float32Array(parts.reduce((n, p) => n + p.article.sentences.length, 0) * dims);
  const articles: IndexedArticle[] = [];
  const chunks: ChunkRecord[] = [];
  let sentenceRow = 0;
  parts.forEach((part, a) => {
    articles.push({ ...part.article, sentenceRow });
    part.sentenceVectors.forEach((v, s) => sentenceVectors.set(v, (sentenceRow + s) * dims));
    sentenceRow += part.article.sentences.length;
    part.chunks.forEach((chunk, c) => {
      chunkVectors.set(part.chunkVectors[c]!, chunks.length * dims);
      chunks.push({ ...chunk, article: a });
    });
  });
  return { articles, chunks, chunkVectors, sentenceVectors, lexical: buildLexical(parts.flatMap((p) => p.chunkTerms)) };
}
