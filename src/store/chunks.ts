// The chunk records and their vectors: a stored structure that builds, merges and serialises itself.
// On disk a segment's chunks are one vectra protobuf file (each item: the chunk's vector and where it
// sits in its article); in memory the vectors are packed row by row in one typed array.
import { copyVector, decodeIndexItems, ProtobufCodec } from './vectra.js';
import type { ChunkRecord, IndexedArticle } from './types.js';

interface ChunkMetadata extends Record<string, string | number> {
  file: string;
  chunk: number;
  text: string;
  start: number;
  end: number;
  firstSentence: number;
  endSentence: number;
  title: string;
  publisher: string;
  date: string;
  url: string;
}

export class ChunkTable {
  constructor(
    readonly dims: number,
    readonly records: ChunkRecord[],
    /** Row i is the vector of records[i]. */
    readonly vectors: Float32Array,
  ) {
    if (vectors.length !== records.length * dims) throw new Error(`${records.length} chunks but ${vectors.length / dims} vectors`);
  }

  /** Chunks given one by one with their vectors. */
  static build(dims: number, chunks: { record: ChunkRecord; vector: Float32Array }[]): ChunkTable {
    const vectors = new Float32Array(chunks.length * dims);
    chunks.forEach((c, i) => {
      vectors.set(c.vector, i * dims);
    });
    return new ChunkTable(
      dims,
      chunks.map((c) => c.record),
      vectors,
    );
  }

  /** Tables of consecutive segments as one: article positions shifted by the articles before each. */
  static merge(dims: number, parts: { table: ChunkTable; articleOffset: number }[]): ChunkTable {
    if (parts.length === 1 && parts[0]!.articleOffset === 0) return parts[0]!.table;
    const vectors = new Float32Array(parts.reduce((n, p) => n + p.table.records.length, 0) * dims);
    const records: ChunkRecord[] = [];
    for (const { table, articleOffset } of parts) {
      vectors.set(table.vectors, records.length * dims);
      for (const record of table.records) records.push({ ...record, article: record.article + articleOffset });
    }
    return new ChunkTable(dims, records, vectors);
  }

  vector(i: number): Float32Array {
    return this.vectors.subarray(i * this.dims, (i + 1) * this.dims);
  }

  /** The stored form; `articles` are the segment's articles that the records' positions point into. */
  serialize(articles: IndexedArticle[]): Uint8Array {
    // vectra's batchInsertItems scans all items per insert (quadratic); its codec writes the same file in one pass.
    const items = this.records.map((chunk, i) => {
      const article = articles[chunk.article]!;
      const metadata: ChunkMetadata = {
        file: article.file,
        chunk: chunk.index,
        text: chunk.text,
        start: chunk.start,
        end: chunk.end,
        firstSentence: chunk.firstSentence,
        endSentence: chunk.endSentence,
        title: article.meta.title,
        publisher: article.meta.publisher ?? '',
        date: article.meta.date ?? '',
        url: article.meta.url ?? '',
      };
      return { id: `${article.file}#${chunk.index}`, metadata, vector: Array.from(this.vector(i)), norm: 1 };
    });
    return new ProtobufCodec().serializeIndex({ version: 1, metadata_config: {}, items });
  }

  /** Reads the stored form back against the segment's articles; throws when it does not match them. */
  static deserialize(bytes: Uint8Array, dims: number, articles: IndexedArticle[]): ChunkTable {
    const articleByFile = new Map(articles.map((a, i) => [a.file, i]));
    const items = decodeIndexItems(bytes);
    const vectors = new Float32Array(items.length * dims);
    const records: ChunkRecord[] = [];
    for (const item of items) {
      const m = item.metadata as unknown as ChunkMetadata;
      const article = articleByFile.get(m.file);
      if (article === undefined || item.vectorBytes.byteLength !== dims * 4) throw new Error(`item ${item.id} does not match the segment's articles`);
      copyVector(item.vectorBytes, vectors, records.length * dims);
      records.push({ article, index: m.chunk, start: m.start, end: m.end, firstSentence: m.firstSentence, endSentence: m.endSentence, text: m.text });
    }
    return new ChunkTable(dims, records, vectors);
  }
}
