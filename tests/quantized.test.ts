// Sentence vectors kept as int8 rows: dot products and rows stay within rounding of the float originals.
import { describe, expect, it } from 'vitest';
import { QuantizedRows } from '../src/store/quantized.js';

function randomUnitRows(rows: number, dims: number, seed = 7): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      out[r * dims + d] = (Math.sin(seed++ * 12.9898) * 43758.5453) % 1;
      norm += out[r * dims + d]! ** 2;
    }
    for (let d = 0; d < dims; d++) out[r * dims + d]! /= Math.sqrt(norm);
  }
  return out;
}

describe('QuantizedRows', () => {
  const dims = 384;
  const floats = randomUnitRows(200, dims);
  const rows = QuantizedRows.from(floats, dims);
  const query = randomUnitRows(1, dims, 99);

  it('gives every dot product within 0.01 of the float one, and keeps the ranking of clear differences', () => {
    const exact = Array.from({ length: rows.rows }, (_, r) => floats.subarray(r * dims, (r + 1) * dims).reduce((s, v, d) => s + v * query[d]!, 0));
    const approx = Array.from({ length: rows.rows }, (_, r) => rows.dot(r, query));
    for (let r = 0; r < rows.rows; r++) expect(Math.abs(approx[r]! - exact[r]!)).toBeLessThan(0.01);
    const best = exact.indexOf(Math.max(...exact));
    expect(approx.indexOf(Math.max(...approx))).toBe(best);
  });

  it('returns rows within half a step of the original, and stores them again unchanged', () => {
    for (let r = 0; r < rows.rows; r++) {
      const original = floats.subarray(r * dims, (r + 1) * dims);
      const step = Math.max(...original.map(Math.abs)) / 127;
      const row = rows.row(r);
      row.forEach((v, d) => {
        expect(Math.abs(v - original[d]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
      });
      // A repack reads rows back and stores them: nothing drifts.
      expect(QuantizedRows.from(row, dims).row(0)).toEqual(row);
    }
  });

  it('sums rows and measures their length as stored, without copying them', () => {
    const sum = new Float64Array(dims);
    rows.addAllTo(sum);
    const expected = new Float64Array(dims);
    for (let r = 0; r < rows.rows; r++) {
      rows.row(r).forEach((v, d) => {
        expected[d]! += v;
      });
    }
    sum.forEach((v, d) => {
      expect(v).toBeCloseTo(expected[d]!, 4);
    });
    const { dots, squares } = rows.dotsAndSquares(query);
    for (let r = 0; r < rows.rows; r++) {
      expect(squares[r]).toBeCloseTo(
        rows.row(r).reduce((s, v) => s + v * v, 0),
        5,
      );
      expect(dots[r]).toBeCloseTo(rows.dot(r, query), 5);
    }
  });
});
