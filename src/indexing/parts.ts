// An article's share of an index version: its record, chunks, vectors and chunk terms. Fresh parts come
// from embedding an article; reused ones from the previous version in memory; a segment is packed from parts.
import type { CoreConfig } from '../config.js';
import type { Article } from '../corpus/types.js';
import { chunkSentences } from '../chunk/chunker.js';
import type { Embedder, PassageInput } from '../embed/embedder.js';
import { ChunkTable } from '../store/chunks.js';
import type { SegmentContents } from '../store/files.js';
import { LexicalIndex, type TermCounts } from '../store/lexical.js';
import { tallyWords } from '../question/vocabulary.js';
import { QuantizedRows } from '../store/quantized.js';
import type { ChunkRecord, IndexedArticle, LoadedIndex } from '../store/types.js';

export interface Part {
  article: IndexedArticle;
  chunks: ChunkRecord[];
  chunkVectors: Float32Array[];
  sentenceVectors: Float32Array[];
  chunkTerms: TermCounts[];
}

/** How long tokenizing may hold the event loop before it lets a reader's question in. */
const SLICE_MS = 10;

/**
 * `fn` over every item, yielding to the event loop every SLICE_MS: a long article's sentences are tokenized
 * (and its chunks' terms counted) on the thread that embeds them, in slices, so readers are answered meanwhile.
 */
export async function inSlices<T, R>(items: T[], fn: (item: T) => R): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let since = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i]!);
    if (performance.now() - since > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return out;
}

/** An article's sentences and chunks, and the passages to embed for them (sentence token ids kept for pooling). */
export async function planArticle(
  source: Article,
  embedder: Embedder,
  config: CoreConfig,
): Promise<{ article: IndexedArticle; chunks: ChunkRecord[]; passages: PassageInput[] }> {
  // Split in the parse worker; sentences are at most MAX_SENTENCE_CHARS long, so each slice stays short.
  const sentences = source.sentences;
  const sentenceIds = await inSlices(sentences, (s) => embedder.tokenize([source.text.slice(s.start, s.end)])[0]!);
  const tokenCounts = sentenceIds.map((ids) => ids.length);
  const article: IndexedArticle = { file: source.file, hash: source.hash, meta: source.meta, text: source.text, sentences, sentenceRow: 0 };
  const chunks = chunkSentences(sentences, tokenCounts, config.chunker).map((c) => ({ ...c, article: 0, text: source.text.slice(c.start, c.end) }));
  const passages = chunks.map((c) => ({ text: c.text, pieces: sentenceIds.slice(c.firstSentence, c.endSentence) }));
  return { article, chunks, passages };
}

/** Every article of a loaded version as a part, ready to copy into the next version without embedding. */
export function partsOf(index: LoadedIndex): Map<string, Part> {
  const dims = index.manifest.dimensions;
  const parts = new Map<string, Part>();
  const chunkTerms = index.lexical.termCountsByChunk();
  for (const article of index.articles) parts.set(article.file, { article, chunks: [], chunkVectors: [], sentenceVectors: [], chunkTerms: [] });
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

/** Packs the parts into one segment: article positions and sentence rows renumbered, each structure built once. */
export function assemble(parts: Part[], dims: number): SegmentContents {
  const sentenceVectors = new Float32Array(parts.reduce((n, p) => n + p.article.sentences.length, 0) * dims);
  const articles: IndexedArticle[] = [];
  const chunks: { record: ChunkRecord; vector: Float32Array }[] = [];
  let sentenceRow = 0;
  parts.forEach((part, a) => {
    articles.push({ ...part.article, sentenceRow });
    part.sentenceVectors.forEach((v, s) => {
      sentenceVectors.set(v, (sentenceRow + s) * dims);
    });
    sentenceRow += part.article.sentences.length;
    part.chunks.forEach((chunk, c) => {
      chunks.push({ record: { ...chunk, article: a }, vector: part.chunkVectors[c]! });
    });
  });
  return {
    articles,
    chunks: ChunkTable.build(dims, chunks),
    sentences: QuantizedRows.from(sentenceVectors, dims),
    lexical: LexicalIndex.build(parts.flatMap((p) => p.chunkTerms)),
    vocabulary: tallyWords(articles.map((a) => a.text)),
  };
}
