// Groups an article's sentences into chunks sized by the embedding model's own tokenizer.
import type { Span } from './sentences.js';

export interface ChunkerSettings {
  maxTokens: number;
  overlapSentences: number;
}

export interface Chunk {
  /** Index of the chunk within its article. */
  index: number;
  /** Character span of the chunk in the cleaned article text. */
  start: number;
  end: number;
  /** The article's sentences this chunk holds: [first, last) indexes into the article's sentence list. */
  firstSentence: number;
  endSentence: number;
}

/**
 * Greedy packing of whole sentences up to `maxTokens`, each chunk repeating the last
 * `overlapSentences` of the previous one so an answer that straddles a boundary is still whole.
 * A sentence longer than the budget becomes a chunk of its own (the model truncates it).
 */
export function chunkSentences(sentences: Span[], tokenCounts: number[], settings: ChunkerSettings): Chunk[] {
  const chunks: Chunk[] = [];
  let first = 0;
  while (first < sentences.length) {
    let end = first;
    let tokens = 0;
    while (end < sentences.length && (end === first || tokens + tokenCounts[end]! <= settings.maxTokens)) {
      tokens += tokenCounts[end]!;
      end++;
    }
    chunks.push({ index: chunks.length, start: sentences[first]!.start, end: sentences[end - 1]!.end, firstSentence: first, endSentence: end });
    if (end >= sentences.length) break;
    first = Math.max(first + 1, end - settings.overlapSentences);
  }
  return chunks;
}
