// The chunk file's reader (src/store/vectra.ts) against vectra's own ProtobufCodec: what vectra writes, read
// back the same as vectra's deserializeIndex reads it, vectors bit for bit at any byte alignment.
import { expect, it } from 'vitest';
import { copyVector, decodeIndexItems, ProtobufCodec } from '../src/store/vectra.js';

function items(count: number, dims: number) {
  return Array.from({ length: count }, (_, i) => ({
    // Ids and texts of varying length put each vector at a different byte offset in the file.
    id: `article-${'x'.repeat(i % 7)}.md#${i}`,
    metadata: { file: `a${i}.md`, chunk: i, text: `Kim and Putin ${'é'.repeat(i % 5)} met.`, start: 0, title: i % 2 ? 'Title' : '', date: '' },
    vector: Array.from({ length: dims }, (_, d) => Math.fround(Math.sin(i * 31 + d) * (d % 3 ? 1e-3 : 1e3))),
    norm: 1,
  }));
}

it('reads a vectra protobuf file as vectra reads it', () => {
  const dims = 7;
  const written = items(40, dims);
  const bytes = new ProtobufCodec().serializeIndex({ version: 1, metadata_config: {}, items: written });
  const ours = decodeIndexItems(bytes);
  const theirs = new ProtobufCodec().deserializeIndex(bytes).items;
  expect(ours).toHaveLength(written.length);
  ours.forEach((item, i) => {
    expect(item.id).toBe(theirs[i]!.id);
    expect(item.metadata).toEqual(theirs[i]!.metadata);
    const vector = new Float32Array(dims);
    copyVector(item.vectorBytes, vector, 0);
    expect(Array.from(vector)).toEqual(theirs[i]!.vector);
    expect(Array.from(vector)).toEqual(written[i]!.vector);
  });
});

it('refuses a vector whose bytes are not whole floats', () => {
  expect(() => copyVector(new Uint8Array(6), new Float32Array(2), 0)).toThrow(/6 bytes/);
});

it('reads an empty file as no items', () => {
  expect(decodeIndexItems(new ProtobufCodec().serializeIndex({ version: 1, metadata_config: {}, items: [] }))).toEqual([]);
});
