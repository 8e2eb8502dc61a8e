import type { ArticleMeta } from '../corpus/types.js';
import type { Span } from '../chunk/sentences.js';
import type { ChunkerSettings } from '../chunk/chunker.js';

/** Bump when parsing, cleaning, sentence splitting, lexical terms or the on-disk layout change: forces a full rebuild. */
export const FORMAT_VERSION = 16;

/** What an index was built with. Any difference from the current settings means a full rebuild. */
export interface BuildSettings {
  formatVersion: number;
  model: string;
  quantized: boolean;
  passagePrefix: string;
  dimensions: number;
  chunker: ChunkerSettings;
}

export interface Manifest extends BuildSettings {
  builtAt: string;
  /** Per article file: the content hash that decides whether it must be re-embedded, and the segment holding it. */
  articles: Record<string, ManifestArticle>;
  totals: { articles: number; chunks: number; sentences: number };
  /** The version's segments in order: together they hold every article above exactly once. */
  segments: Segment[];
}

export interface ManifestArticle {
  hash: string;
  stamp?: string;
  chunks: number;
  sentences: number;
  /** Name of the segment that holds it: a damaged segment names the articles to embed again. */
  segment: string;
}

/** A set of articles written together, never changed afterwards; versions share them. */
export interface Segment {
  name: string;
  articles: number;
  chunks: number;
  sentences: number;
  /** Sum of the segment's sentence vectors as stored: the corpus mean at load without a pass over every row. */
  sentenceSum: number[];
  /** Each file's size and sha256 as written: checked before a file is loaded or carried into a new version. */
  files: Record<import('./layout.js').SegmentPart, FileDigest>;
}

export interface FileDigest {
  bytes: number;
  sha256: string;
}

/** An article as stored in the index: its text, sentences and where its sentence vectors start. */
export interface IndexedArticle {
  file: string;
  hash: string;
  meta: ArticleMeta;
  text: string;
  sentences: Span[];
  /** Row of its first sentence in the sentence-vector matrix (on disk: in its segment's matrix). */
  sentenceRow: number;
}

export interface ChunkRecord {
  /** Position of the article in the index's article list. */
  article: number;
  index: number;
  start: number;
  end: number;
  firstSentence: number;
  endSentence: number;
  text: string;
}

/** Everything a question needs, in memory: vectors packed row by row in one typed array each. */
export interface LoadedIndex {
  dir: string;
  manifest: Manifest;
  articles: IndexedArticle[];
  chunks: ChunkRecord[];
  chunkVectors: Float32Array;
  /** Every sentence's vector, row `article.sentenceRow + sentence`, kept as int8. */
  sentenceVectors: import('./quantized.js').QuantizedRows;
  lexical: import('./lexical.js').LexicalIndex;
  sentenceStats: SentenceStats;
  /** The articles' words as readers may type them (question/vocabulary.ts). */
  vocabulary: import('../question/vocabulary.js').Vocabulary;
}

/** Per-index constants for centred cosine: the mean sentence vector and each sentence's relation to it. */
export interface SentenceStats {
  mean: Float32Array;
  meanSquare: number;
  meanDots: Float32Array;
  centredNorms: Float32Array;
}
