// Sentence vectors in memory as int8 codes with one scale per row: a quarter of float32's size. They are
// the index's largest part (every sentence of every article), and only ever scored by a dot product, where
// the rounding (under 0.4% of a row's largest component) changes no ranking that matters.

export class QuantizedRows {
  readonly rows: number;

  constructor(
    readonly dims: number,
    private readonly codes: Int8Array,
    private readonly scales: Float32Array,
  ) {
    this.rows = scales.length;
  }

  static allocate(rows: number, dims: number): QuantizedRows {
    return new QuantizedRows(dims, new Int8Array(rows * dims), new Float32Array(rows));
  }

  static from(vectors: Float32Array, dims: number): QuantizedRows {
    const rows = QuantizedRows.allocate(vectors.length / dims, dims);
    rows.set(0, vectors);
    return rows;
  }

  /** Stores float rows (a whole number of them) from row `first` on. */
  set(first: number, vectors: Float32Array): void {
    const dims = this.dims;
    for (let r = 0, o = 0; o < vectors.length; r++, o += dims) {
      let max = 0;
      for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[o + d]!));
      const scale = max / 127 || 1;
      this.scales[first + r] = scale;
      const at = (first + r) * dims;
      for (let d = 0; d < dims; d++) this.codes[at + d] = Math.round(vectors[o + d]! / scale);
    }
  }

  dot(row: number, query: Float32Array): number {
    const dims = this.dims;
    let sum = 0;
    for (let d = 0, o = row * dims; d < dims; d++) sum += this.codes[o + d]! * query[d]!;
    return sum * this.scales[row]!;
  }

  /** The squared length of a row as stored. */
  squaredNorm(row: number): number {
    let sum = 0;
    for (let d = 0, o = row * this.dims; d < this.dims; d++) sum += this.codes[o + d]! * this.codes[o + d]!;
    return sum * this.scales[row]! * this.scales[row]!;
  }

  /** Adds every row as stored into `sum` (float64, so 100k rows lose nothing). */
  addAllTo(sum: Float64Array): void {
    const dims = this.dims;
    for (let r = 0; r < this.rows; r++) {
      const scale = this.scales[r]!;
      for (let d = 0, o = r * dims; d < dims; d++) sum[d]! += this.codes[o + d]! * scale;
    }
  }

  /** One row as floats (a copy). */
  row(row: number): Float32Array {
    const out = new Float32Array(this.dims);
    const scale = this.scales[row]!;
    for (let d = 0, o = row * this.dims; d < this.dims; d++) out[d] = this.codes[o + d]! * scale;
    return out;
  }
}
