// Word vectors for the answer scorer's soft word alignment ("signed" ≈ "inked", "pact" ≈ "treaty"): GloVe 6B
// reduced to the 40,000 commonest words and 64 dimensions, shipped in models/word-vectors.bin (built by
// scripts/train/word_vectors.py; public domain). The same for every embedding model, as the scorer must be.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuantizedRows } from '../store/quantized.js';

export const DEFAULT_WORD_VECTORS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/word-vectors.bin');
const MAGIC = 'SDWV1\n';

export class WordVectors {
  private constructor(
    /** Sorted (the file stores them so): a word is found by binary search. */
    private readonly words: string[],
    private readonly rows: QuantizedRows,
  ) {}

  /** Reads and checks the file (layout in scripts/train/word_vectors.py). */
  static load(file = DEFAULT_WORD_VECTORS_FILE): WordVectors {
    try {
      const bytes = readFileSync(file);
      if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a word-vector file');
      let offset = MAGIC.length;
      const section = () => {
        const length = bytes.readUInt32LE(offset);
        const text = bytes.toString('utf8', offset + 4, offset + 4 + length);
        offset += 4 + length;
        return text;
      };
      const { dims, count } = JSON.parse(section()) as { dims: number; count: number };
      const words = section().split('\n');
      if (!Number.isInteger(dims) || words.length !== count) throw new Error(`${words.length} words, the header says ${count}`);
      for (let i = 1; i < words.length; i++) if (!(words[i - 1]! < words[i]!)) throw new Error('its words are not sorted');
      const expected = offset + QuantizedRows.fileBytes(count, dims);
      if (bytes.length !== expected) throw new Error(`${bytes.length} bytes, expected ${expected}`);
      const rows = QuantizedRows.allocate(count, dims);
      for (const part of rows.bytes()) {
        part.set(bytes.subarray(offset, offset + part.byteLength));
        offset += part.byteLength;
      }
      return new WordVectors(words, rows);
    } catch (error) {
      throw new Error(`Cannot read the word vectors ${file}: ${(error as Error).message}. Rebuild them as the README says ("How answers are chosen").`);
    }
  }

  /** The word's row, or -1 when the word is not among the vectors' words. */
  row(word: string): number {
    let low = 0;
    let high = this.words.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = this.words[middle]!;
      if (found === word) return middle;
      if (found < word) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  get dims(): number {
    return this.rows.dims;
  }

  /** A row as floats (the pair model reads whole vectors). */
  vector(row: number): Float32Array {
    return this.rows.row(row);
  }

  /** Cosine of two rows (rows are unit length). */
  cosine(a: number, b: number): number {
    return this.rows.dotRows(a, b);
  }
}

let shared: WordVectors | undefined;
/** The shipped vectors, read on first use (~20 ms). */
export function wordVectors(): WordVectors {
  shared ??= WordVectors.load();
  return shared;
}
