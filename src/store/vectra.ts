// vectra's entry point loads everything it ships (GPT-3 tokenizer tables, web fetcher, HTTP server): about
// 0.5 s of every start-up for the one class the index uses. Load just that from vectra's own files, and
// fall back to the entry point should a later version move it.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Vectra from 'vectra';

const require = createRequire(import.meta.url);

function loadVectra(): Pick<typeof Vectra, 'ProtobufCodec'> {
  try {
    const lib = path.dirname(require.resolve('vectra'));
    const { ProtobufCodec } = require(path.join(lib, 'codecs', 'index.js')) as typeof Vectra;
    if (ProtobufCodec) return { ProtobufCodec };
  } catch {
    // Layout changed: use the entry point below.
  }
  return require('vectra') as typeof Vectra;
}

export const { ProtobufCodec } = loadVectra();

/** One item of a vectra protobuf index file. */
export interface DecodedItem {
  id: string;
  metadata: Record<string, string | number | boolean>;
  /** The vector as its float32s' little-endian bytes (a view into the file's bytes): read with copyVector. */
  vectorBytes: Uint8Array;
}

interface ProtobufReader {
  pos: number;
  len: number;
  uint32(): number;
  string(): string;
  double(): number;
  float(): number;
  bool(): boolean;
  bytes(): Uint8Array;
  skipType(wireType: number): ProtobufReader;
}

/** vectra's own protobuf runtime (the reader its codec uses), so the wire format is read by the library. */
function loadReader(): { create(bytes: Uint8Array): ProtobufReader } {
  const vectraRequire = createRequire(require.resolve('vectra'));
  return (vectraRequire('protobufjs/minimal') as { Reader: { create(bytes: Uint8Array): ProtobufReader } }).Reader;
}
let reader: ReturnType<typeof loadReader> | undefined;

/**
 * The items of a file written by vectra's ProtobufCodec (schema: vectra/lib/codecs/schemas/index.proto), as
 * `deserializeIndex` would return them, without its three copies of every vector as JS number arrays: at
 * 10k chunks that decode was 0.7 s of every start-up, this one ~0.1 s. Metadata values follow vectra's
 * reading (an unset value is '').
 */
export function decodeIndexItems(bytes: Uint8Array): DecodedItem[] {
  reader ??= loadReader();
  const r = reader.create(bytes);
  const items: DecodedItem[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 3 && (tag & 7) === 2) items.push(readItem(r, r.uint32() + r.pos));
    else r.skipType(tag & 7);
  }
  return items;
}

function readItem(r: ProtobufReader, end: number): DecodedItem {
  const item: DecodedItem = { id: '', metadata: {}, vectorBytes: new Uint8Array(0) };
  const floats: number[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) item.id = r.string();
    else if (field === 2 && wire === 2) readMetadataEntry(r, r.uint32() + r.pos, item.metadata);
    else if (field === 3 && wire === 2) item.vectorBytes = r.bytes();
    // A writer may also send the vector unpacked, one float per tag.
    else if (field === 3 && wire === 5) floats.push(r.float());
    else r.skipType(wire);
  }
  if (floats.length) {
    item.vectorBytes = new Uint8Array(floats.length * 4);
    const view = new DataView(item.vectorBytes.buffer);
    floats.forEach((f, i) => {
      view.setFloat32(i * 4, f, true);
    });
  }
  return item;
}

function readMetadataEntry(r: ProtobufReader, end: number, into: DecodedItem['metadata']): void {
  let key = '';
  let value: string | number | boolean = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) key = r.string();
    else if (tag >>> 3 === 2 && (tag & 7) === 2) value = readMetadataValue(r, r.uint32() + r.pos);
    else r.skipType(tag & 7);
  }
  into[key] = value;
}

function readMetadataValue(r: ProtobufReader, end: number): string | number | boolean {
  let value: string | number | boolean = '';
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === 2) value = r.string();
    else if (field === 2 && (tag & 7) === 1) value = r.double();
    else if (field === 3 && (tag & 7) === 0) value = r.bool();
    else r.skipType(tag & 7);
  }
  return value;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes an item's vector into `into` from float `at`: one byte copy where the platform is little-endian. */
export function copyVector(vectorBytes: Uint8Array, into: Float32Array, at: number): void {
  if (vectorBytes.byteLength % 4) throw new Error(`a packed vector of ${vectorBytes.byteLength} bytes`);
  if (LITTLE_ENDIAN) {
    new Uint8Array(into.buffer, into.byteOffset + at * 4, vectorBytes.byteLength).set(vectorBytes);
    return;
  }
  const view = new DataView(vectorBytes.buffer, vectorBytes.byteOffset, vectorBytes.byteLength);
  for (let i = 0; i < vectorBytes.byteLength / 4; i++) into[at + i] = view.getFloat32(i * 4, true);
}
