// Dense and lexical candidates for a question, fused by reciprocal rank.
import type { LoadedIndex } from '../store/types.js';
import { TopK, type Scored } from '../util/top-k.js';

export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

/** Top k chunks by cosine similarity (vectors are normalised, so a dot product) over the packed matrix. */
export function denseSearch(index: LoadedIndex, query: Float32Array, k: number): Scored[] {
  const dims = index.manifest.dimensions;
  const vectors = index.chunkVectors;
  const n = index.chunks.length;
  const top = new TopK(k);
  // Four chunks at a time: each query value is loaded once for four rows, and the four sums are
  // independent additions V8 can overlap (~1.3x the one-row loop with four accumulators at 50k chunks).
  let doc = 0;
  for (; doc + 4 <= n; doc += 4) {
    const o0 = doc * dims,
      o1 = o0 + dims,
      o2 = o1 + dims,
      o3 = o2 + dims;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let d = 0; d < dims; d++) {
      const q = query[d]!;
      s0 += vectors[o0 + d]! * q;
      s1 += vectors[o1 + d]! * q;
      s2 += vectors[o2 + d]! * q;
      s3 += vectors[o3 + d]! * q;
    }
    top.offer(doc, s0);
    top.offer(doc + 1, s1);
    top.offer(doc + 2, s2);
    top.offer(doc + 3, s3);
  }
  for (; doc < n; doc++) {
    let s = 0;
    for (let d = 0, o = doc * dims; d < dims; d++) s += vectors[o + d]! * query[d]!;
    top.offer(doc, s);
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
    const known = byChunk.get(chunk);
    if (known) return known;
    const c: FusedCandidate = { chunk, fused: 0, dense: null, lexical: null };
    byChunk.set(chunk, c);
    return c;
  };
  if (mode !== 'lexical')
    dense.forEach((s, rank) => {
      const c = entry(s.doc);
      c.fused += 1 / (RRF_K + rank + 1);
      c.dense = s.score;
    });
  if (mode !== 'dense')
    lexical.forEach((s, rank) => {
      const c = entry(s.doc);
      c.fused += 1 / (RRF_K + rank + 1);
      c.lexical = s.score;
    });
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
