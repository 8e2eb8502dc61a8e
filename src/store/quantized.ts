// Sentence vectors as int8 codes with one scale per row, on disk and in memory: a quarter of float32's
// size. They are the index's largest part (every sentence of every article), and only ever scored by a dot
// product, where the rounding (under 0.4% of a row's largest component) changes no ranking that matters.
//
// File layout: the rows' scales (float32, little-endian as the platform writes them), then their codes.

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

  /** Float rows, each scaled so its largest component is ±127. */
  static from(vectors: Float32Array, dims: number): QuantizedRows {
    const rows = QuantizedRows.allocate(vectors.length / dims, dims);
    const { codes, scales } = rows;
    for (let r = 0, o = 0; o < vectors.length; r++, o += dims) {
      let max = 0;
      for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[o + d]!));
      const scale = max / 127 || 1;
      const inverse = 1 / scale;
      scales[r] = scale;
      for (let d = 0; d < dims; d++) codes[o + d] = Math.round(vectors[o + d]! * inverse);
    }
    return rows;
  }

  /** Bytes of a file holding `rows` rows. */
  static fileBytes(rows: number, dims: number): number {
    return rows * 4 + rows * dims;
  }

  /** Rows [from, to) in file form (their scales, then their codes), as views: written out, or read into. */
  bytes(from = 0, to = this.rows): Uint8Array[] {
    const scales = this.scales.subarray(from, to);
    const codes = this.codes.subarray(from * this.dims, to * this.dims);
    return [new Uint8Array(scales.buffer, scales.byteOffset, scales.byteLength), new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength)];
  }

  dot(row: number, query: Float32Array): number {
    const { dims, codes } = this;
    let sum = 0;
    for (let d = 0, o = row * dims; d < dims; d++) sum += codes[o + d]! * query[d]!;
    return sum * this.scales[row]!;
  }

  /** Dot product of two stored rows. */
  dotRows(a: number, b: number): number {
    const { dims, codes } = this;
    let sum = 0;
    for (let d = 0, oa = a * dims, ob = b * dims; d < dims; d++) sum += codes[oa + d]! * codes[ob + d]!;
    return sum * this.scales[a]! * this.scales[b]!;
  }

  /** Adds every row as stored into `sum` (float64, so 100k rows lose nothing). */
  addAllTo(sum: Float64Array): void {
    const { dims, codes, scales } = this;
    for (let r = 0, o = 0; r < this.rows; r++, o += dims) {
      const scale = scales[r]!;
      for (let d = 0; d < dims; d++) sum[d]! += codes[o + d]! * scale;
    }
  }

  /** Every row's dot product with `vector` and its squared length, in one pass. */
  dotsAndSquares(vector: Float32Array): { dots: Float32Array; squares: Float32Array } {
    const { dims, codes, scales } = this;
    const dots = new Float32Array(this.rows);
    const squares = new Float32Array(this.rows);
    for (let r = 0, o = 0; r < this.rows; r++, o += dims) {
      let dot = 0;
      let square = 0;
      for (let d = 0; d < dims; d++) {
        const c = codes[o + d]!;
        dot += c * vector[d]!;
        square += c * c;
      }
      const scale = scales[r]!;
      dots[r] = dot * scale;
      squares[r] = square * scale * scale;
    }
    return { dots, squares };
  }

  /** One row as floats (a copy). */
  row(row: number): Float32Array {
    const out = new Float32Array(this.dims);
    const scale = this.scales[row]!;
    for (let d = 0, o = row * this.dims; d < this.dims; d++) out[d] = this.codes[o + d]! * scale;
    return out;
  }
}
