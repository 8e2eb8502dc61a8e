// The index folder on disk. Each build writes a complete new version folder, then flips the
// CURRENT pointer with an atomic rename: readers see the old index or the new one, never half of one.
//
//   INDEX_DIR/CURRENT          name of the live version
//   INDEX_DIR/v-<time>-<pid>/  manifest.json, articles.json, index.pb (vectra), sentences.f32, lexical.json
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalIndex, ProtobufCodec } from './vectra.js';
import { LexicalIndex, type SerializedLexical } from '../retrieve/lexical.js';
import type { ChunkRecord, IndexedArticle, LoadedIndex, Manifest, SentenceStats } from './types.js';

export class IndexError extends Error {
  override name = 'IndexError';
}

const POINTER = 'CURRENT';
const VECTRA_FILE = 'index.pb';

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

export interface IndexContents {
  manifest: Manifest;
  articles: IndexedArticle[];
  chunks: ChunkRecord[];
  chunkVectors: Float32Array;
  sentenceVectors: Float32Array;
  lexical: SerializedLexical;
}

/** The live version's folder, or null when no index has been built here. */
export async function currentVersionDir(indexDir: string): Promise<string | null> {
  const name = (await readFile(path.join(indexDir, POINTER), 'utf8').catch(() => '')).trim();
  return name ? path.join(indexDir, name) : null;
}

export async function writeVersion(indexDir: string, contents: IndexContents): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const name = `v-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  const staging = path.join(indexDir, `.staging-${name}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    const { manifest, articles, chunks, chunkVectors, sentenceVectors, lexical } = contents;
    const dims = manifest.dimensions;
    // vectra's batchInsertItems scans all items per insert (quadratic); its codec writes the same file in one pass.
    const codec = new ProtobufCodec();
    const items = chunks.map((chunk, i) => {
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
      return { id: `${article.file}#${chunk.index}`, metadata, vector: Array.from(chunkVectors.subarray(i * dims, (i + 1) * dims)), norm: 1 };
    });
    await writeFile(path.join(staging, VECTRA_FILE), codec.serializeIndex({ version: 1, metadata_config: {}, items }));
    await writeFile(path.join(staging, 'articles.json'), JSON.stringify(articles));
    await writeFile(path.join(staging, 'sentences.f32'), new Uint8Array(sentenceVectors.buffer, sentenceVectors.byteOffset, sentenceVectors.byteLength));
    await writeFile(path.join(staging, 'lexical.json'), JSON.stringify(lexical));
    // The manifest goes last: a version folder without one is incomplete by definition.
    await writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await rename(staging, path.join(indexDir, name));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const pointerTmp = path.join(indexDir, `.${POINTER}.${process.pid}.tmp`);
  await writeFile(pointerTmp, `${name}\n`);
  await rename(pointerTmp, path.join(indexDir, POINTER));
  await removeOldVersions(indexDir, name);
  return path.join(indexDir, name);
}

/** Keeps the live version and the one before it (a bot may still be loading it); removes the rest. */
async function removeOldVersions(indexDir: string, live: string): Promise<void> {
  const versions = (await readdir(indexDir)).filter((n) => n.startsWith('v-') && n !== live).sort();
  for (const old of versions.slice(0, -1)) await rm(path.join(indexDir, old), { recursive: true, force: true });
}

export async function readManifest(versionDir: string): Promise<Manifest> {
  return readJson<Manifest>(path.join(versionDir, 'manifest.json'));
}

/** Loads the live version fully into memory. */
export async function loadIndex(indexDir: string): Promise<LoadedIndex> {
  const dir = await currentVersionDir(indexDir);
  if (!dir) throw new IndexError(`No index found in ${indexDir}. Build it with: npm run index`);
  const manifest = await readManifest(dir);
  const articles = await readJson<IndexedArticle[]>(path.join(dir, 'articles.json'));
  const lexical = await readJson<SerializedLexical>(path.join(dir, 'lexical.json'));
  const dims = manifest.dimensions;

  const vectra = new LocalIndex<ChunkMetadata>(dir, VECTRA_FILE, undefined, new ProtobufCodec());
  let items;
  try {
    items = await vectra.listItems();
  } catch (error) {
    throw corrupt(path.join(dir, VECTRA_FILE), error);
  }
  const articleByFile = new Map(articles.map((a, i) => [a.file, i]));
  const chunkVectors = new Float32Array(items.length * dims);
  const chunks: ChunkRecord[] = items.map((item, i) => {
    const m = item.metadata;
    const article = articleByFile.get(m.file);
    if (article === undefined || item.vector.length !== dims) throw corrupt(path.join(dir, VECTRA_FILE), new Error(`item ${item.id} does not match articles.json`));
    chunkVectors.set(item.vector, i * dims);
    return { article, index: m.chunk, start: m.start, end: m.end, firstSentence: m.firstSentence, endSentence: m.endSentence, text: m.text };
  });

  const sentenceFile = path.join(dir, 'sentences.f32');
  const bytes = await readFile(sentenceFile).catch((error) => {
    throw corrupt(sentenceFile, error);
  });
  const expected = manifest.totals.sentences * dims * 4;
  if (bytes.byteLength !== expected) throw corrupt(sentenceFile, new Error(`${bytes.byteLength} bytes, expected ${expected}`));
  // A view on the bytes just read (large reads are not pooled, so they are aligned); copying would double the peak.
  const sentenceVectors =
    bytes.byteOffset % 4 === 0
      ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
      : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (chunks.length !== manifest.totals.chunks) throw corrupt(path.join(dir, VECTRA_FILE), new Error(`${chunks.length} chunks, manifest says ${manifest.totals.chunks}`));

  return { dir, manifest, articles, chunks, chunkVectors, sentenceVectors, lexical: new LexicalIndex(lexical), sentenceStats: sentenceStats(sentenceVectors, dims) };
}

/** One pass over the sentence vectors at load, so a centred cosine costs one dot product per sentence. */
function sentenceStats(vectors: Float32Array, dims: number): SentenceStats {
  const n = vectors.length / dims;
  const mean = new Float32Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d]! += vectors[i * dims + d]! / n;
  let meanSquare = 0;
  for (let d = 0; d < dims; d++) meanSquare += mean[d]! * mean[d]!;
  const meanDots = new Float32Array(n);
  const centredNorms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let square = 0;
    for (let d = 0, o = i * dims; d < dims; d++) {
      dot += vectors[o + d]! * mean[d]!;
      square += vectors[o + d]! * vectors[o + d]!;
    }
    meanDots[i] = dot;
    centredNorms[i] = Math.sqrt(Math.max(1e-12, square - 2 * dot + meanSquare));
  }
  return { mean, meanSquare, meanDots, centredNorms };
}

function corrupt(file: string, cause: unknown): IndexError {
  return new IndexError(`The index file ${file} is damaged or incomplete (${(cause as Error).message}). Rebuild it with: npm run index -- --full`);
}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw corrupt(file, error);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw corrupt(file, error);
  }
}
