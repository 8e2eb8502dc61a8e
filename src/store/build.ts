// Corpus → parse → sentences → chunks → embeddings → a new index version, reusing every
// unchanged article from the previous version so a re-index costs only what changed.
import type { CoreConfig } from '../config.js';
import { CorpusError, loadCorpus } from '../corpus/load.js';
import type { Article, CorpusWarning } from '../corpus/types.js';
import { chunkSentences } from '../chunk/chunker.js';
import { splitSentences } from '../chunk/sentences.js';
import type { Embedder, PassageInput } from '../embed/embedder.js';
import { buildLexical, termCounts, type TermCounts } from '../retrieve/lexical.js';
import { currentVersionDir, loadIndex, writeVersion } from './files.js';
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
  const { previous, reason } = await reusableIndex(config.indexDir, settings, options.full ?? false);
  const previousParts = previous ? partsOf(previous) : new Map<string, Part>();

  // An unchanged file (same bytes) is not parsed again: its article comes from the previous version.
  const { articles, warnings } = await loadCorpus(config.corpusDir, (file, hash) => {
    const part = previousParts.get(file);
    return part?.article.hash === hash ? part.article : undefined;
  });
  warnings.forEach((w) => options.onWarning?.(w));
  if (!articles.length) {
    throw new CorpusError(
      `No articles to index in ${config.corpusDir}${warnings.length ? ` (${warnings.length} file(s) skipped, see warnings above)` : ''}. Add .txt or .md files and run npm run index again.`,
    );
  }

  const toEmbed = articles.filter((a) => previousParts.get(a.file)?.article.hash !== a.hash);
  const planned = toEmbed.map((article) => planArticle(article, embedder, config));
  const passages = planned.flatMap((p) => p.passages);
  const present = new Set(articles.map((a) => a.file));
  const removed = [...previousParts.keys()].filter((file) => !present.has(file)).length;
  options.onPlan?.({ embed: toEmbed.length, reuse: articles.length - toEmbed.length, remove: removed, passages: passages.length, reason });

  const embedded = await embedder.embedPassages(passages, (done) => options.onProgress?.(done, passages.length));
  let cursor = 0;
  const fresh = new Map<string, Part>();
  for (const plan of planned) {
    const results = embedded.slice(cursor, cursor + plan.chunks.length);
    cursor += plan.chunks.length;
    // A sentence in two chunks (the overlap) takes its vector from the first chunk that holds it.
    const sentenceVectors: Float32Array[] = new Array(plan.article.sentences.length);
    plan.chunks.forEach((chunk, c) => {
      results[c]!.pieces.forEach((vector, k) => (sentenceVectors[chunk.firstSentence + k] ??= vector));
    });
    const chunkTerms = plan.chunks.map((c) => termCounts(c.text));
    fresh.set(plan.article.file, { article: plan.article, chunks: plan.chunks, chunkVectors: results.map((r) => r.vector), sentenceVectors, chunkTerms });
  }

  const parts = articles.map((a) => fresh.get(a.file) ?? previousParts.get(a.file)!);
  const manifest = manifestOf(settings, parts);
  const versionDir = await writeVersion(config.indexDir, assemble(manifest, parts));
  return {
    articles: parts.length,
    chunks: manifest.totals.chunks,
    embeddedArticles: toEmbed.length,
    reusedArticles: articles.length - toEmbed.length,
    removedArticles: removed,
    warnings,
    seconds: (performance.now() - started) / 1000,
    versionDir,
  };
}

async function reusableIndex(indexDir: string, settings: BuildSettings, full: boolean): Promise<{ previous: LoadedIndex | null; reason: string | null }> {
  if (!(await currentVersionDir(indexDir))) return { previous: null, reason: 'no previous index' };
  if (full) return { previous: null, reason: 'full rebuild requested' };
  let previous: LoadedIndex;
  try {
    previous = await loadIndex(indexDir);
  } catch (error) {
    return { previous: null, reason: `previous index unreadable (${(error as Error).message.split('\n')[0]})` };
  }
  const changed = settingsChange(previous.manifest, settings);
  return changed ? { previous: null, reason: `${changed} changed: full rebuild` } : { previous, reason: null };
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
    for (let s = 0; s < sentences.length; s++) part.sentenceVectors.push(index.sentenceVectors.subarray((sentenceRow + s) * dims, (sentenceRow + s + 1) * dims));
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

function manifestOf(settings: BuildSettings, parts: Part[]): Manifest {
  const articles: Manifest['articles'] = {};
  for (const p of parts) articles[p.article.file] = { hash: p.article.hash, chunks: p.chunks.length, sentences: p.article.sentences.length };
  return {
    ...settings,
    builtAt: new Date().toISOString(),
    articles,
    totals: {
      articles: parts.length,
      chunks: parts.reduce((n, p) => n + p.chunks.length, 0),
      sentences: parts.reduce((n, p) => n + p.article.sentences.length, 0),
    },
  };
}

/** Packs the parts into one version: article positions and sentence rows renumbered, vectors copied once. */
function assemble(manifest: Manifest, parts: Part[]) {
  const dims = manifest.dimensions;
  const chunkVectors = new Float32Array(manifest.totals.chunks * dims);
  const sentenceVectors = new Float32Array(manifest.totals.sentences * dims);
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
  return { manifest, articles, chunks, chunkVectors, sentenceVectors, lexical: buildLexical(parts.flatMap((p) => p.chunkTerms)) };
}
