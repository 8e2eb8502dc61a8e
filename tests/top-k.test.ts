import { describe, expect, it } from 'vitest';
import { TopK } from '../src/util/top-k.js';
import { denseSearch } from '../src/retrieve/search.js';
import type { LoadedIndex } from '../src/store/types.js';

describe('TopK', () => {
  it('keeps the same k best as a full sort, ties to the lower doc, whatever the offer order', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      // Coarse scores so ties are common.
      const scores = Array.from({ length: 500 }, () => Math.round(next() * 50) / 10);
      const order = scores.map((_, doc) => doc).sort(() => next() - 0.5);
      const top = new TopK(12);
      for (const doc of order) top.offer(doc, scores[doc]!);
      const expected = scores
        .map((score, doc) => ({ doc, score }))
        .sort((a, b) => b.score - a.score || a.doc - b.doc)
        .slice(0, 12);
      expect(top.items).toEqual(expected);
    }
  });

  it('returns every offer, in order, when there are fewer than k', () => {
    const top = new TopK(5);
    top.offer(3, 0.1);
    top.offer(1, 0.9);
    expect(top.items).toEqual([
      { doc: 1, score: 0.9 },
      { doc: 3, score: 0.1 },
    ]);
  });
});

describe('denseSearch', () => {
  it('finds the same k best chunks as scoring each one alone, for any number of chunks', () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const dims = 24;
    for (const n of [1, 3, 4, 5, 37, 400]) {
      const chunkVectors = Float32Array.from({ length: n * dims }, next);
      const query = Float32Array.from({ length: dims }, next);
      const index = { manifest: { dimensions: dims }, chunkVectors, chunks: { length: n } } as unknown as LoadedIndex;
      const scores = Array.from({ length: n }, (_, doc) => chunkVectors.subarray(doc * dims, (doc + 1) * dims).reduce((s, v, d) => s + v * query[d]!, 0));
      const expected = scores
        .map((score, doc) => ({ doc, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const got = denseSearch(index, query, 10);
      expect(got.map((s) => s.doc)).toEqual(expected.map((s) => s.doc));
      got.forEach((s, i) => {
        expect(s.score).toBeCloseTo(expected[i]!.score, 5);
      });
    }
  });
});
