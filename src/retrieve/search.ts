// Dense and lexical candidates for a question, fused by reciprocal rank.
import type { LoadedIndex } from '../store/types.js';
import { TopK, type Scored } from './top-k.js';

export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

/** Top k chunks by cosine similarity (vectors are normalised, so a dot product) over the packed matrix. */
export function denseSearch(index: LoadedIndex, query: Float32Array, k: number): Scored[] {
  const dims = index.manifest.dimensions;
  const vectors = index.chunkVectors;
  const n = index.chunks.length;
  const top = new TopK(k);
  // Four accumulators: independent additions V8 can overlap (about 2x faster than one running sum).
  const tail = dims - (dims % 4);
  for (let doc = 0, offset = 0; doc < n; doc++, offset += dims) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let d = 0; d < tail; d += 4) {
      s0 += vectors[offset + d]! * query[d]!;
      s1 += vectors[offset + d + 1]! * query[d + 1]!;
      s2 += vectors[offset + d + 2]! * query[d + 2]!;
      s3 += vectors[offset + d + 3]! * query[d + 3]!;
    }
    for (let d = tail; d < dims; d++) s0 += vectors[offset + d]! * query[d]!;
    top.offer(doc, s0 + s1 + s2 + s3);
  }
  return top.items;
}

/** The usual RRF constant: damps the head of each list so agreement between lists matters most. */
const RRF_K = 60;

export interface FusedCandidate {
  chunk: number;
  /** Reciprocal-rank score, scaled so that first place in every list used is 1. */
  fused: number;
  dense: number | null;
  lexical: number | null;
}

export function fuse(dense: Scored[], lexical: Scored[], mode: RetrievalMode): FusedCandidate[] {
  const lists = mode === 'hybrid' ? [dense, lexical] : mode === 'dense' ? [dense] : [lexical];
  const best = lists.length / (RRF_K + 1);
  const byChunk = new Map<number, FusedCandidate>();
  const entry = (chunk: number) => {
    let c = byChunk.get(chunk);
    if (!c) byChunk.set(chunk, (c = { chunk, fused: 0, dense: null, lexical: null }));
    return c;
  };
  if (mode !== 'lexical') dense.forEach((s, rank) => { const c = entry(s.doc); c.fused += 1 / (RRF_K + rank + 1); c.dense = s.score; });
  if (mode !== 'dense') lexical.forEach((s, rank) => { const c = entry(s.doc); c.fused += 1 / (RRF_K + rank + 1); c.lexical = s.score; });
  return [...byChunk.values()].map((c) => ({ ...c, fused: c.fused / best })).sort((a, b) => b.fused - a.fused || a.chunk - b.chunk);
}

/**
 * The chunks whose sentences are worth scoring: the best fused ones, plus the head of each list,
 * so a chunk that only one retriever finds (an exact name, a paraphrase) is never fused away.
 */
export function candidateChunks(fused: FusedCandidate[], dense: Scored[], lexical: Scored[], fusedCount = 10, headCount = 5): FusedCandidate[] {
  const chosen = fused.slice(0, fusedCount);
  const byChunk = new Map(fused.map((c) => [c.chunk, c]));
  for (const s of [...dense.slice(0, headCount), ...lexical.slice(0, headCount)]) {
    if (!chosen.some((c) => c.chunk === s.doc)) chosen.push(byChunk.get(s.doc)!);
  }
  return chosen;
}
