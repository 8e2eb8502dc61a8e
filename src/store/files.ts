// The index folder on disk. Each build writes a complete new version folder, then flips the
// CURRENT pointer with an atomic rename: readers see the old index or the new one, never half of one.
//
//   INDEX_DIR/CURRENT          name of the live version
//   INDEX_DIR/v-<time>-<pid>/  manifest.json, and per segment <seg>.pb (vectra), <seg>.articles.json,
//                              <seg>.sentences.i8 (int8 rows, see quantized.ts), <seg>.lexical.json
//
// Segment files are never rewritten. A build that only adds articles writes them as one new segment and
// hard-links the previous version's segments into the new folder, so its cost follows the new articles,
// not the index; each version folder still holds everything it needs.
import { copyFile, link, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalIndex, ProtobufCodec } from './vectra.js';
import { LexicalIndex, type SerializedLexical } from '../retrieve/lexical.js';
import { QuantizedRows } from './quantized.js';
import { FORMAT_VERSION, type ChunkRecord, type IndexedArticle, type LoadedIndex, type Manifest, type Segment, type SentenceStats } from './types.js';

export class IndexError extends Error {
  override name = 'IndexError';
}

const POINTER = 'CURRENT';

function segmentFiles(dir: string, segment: string) {
  const file = (suffix: string) => path.join(dir, `${segment}${suffix}`);
  return { vectra: file('.pb'), articles: file('.articles.json'), sentences: file('.sentences.i8'), lexical: file('.lexical.json') };
}

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

/** One segment's articles (sentence rows counted from the segment's first), chunks and vectors. */
export interface SegmentContents {
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

/**
 * Writes a version made of `kept` segments (hard-linked from the version folder they live in) followed by
 * a new segment holding `added`; the manifest's segment list is filled in here.
 */
export async function writeVersion(
  indexDir: string,
  manifest: Omit<Manifest, 'segments'>,
  added: SegmentContents,
  kept: { dir: string; segments: Segment[] } | null = null,
): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const name = `v-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  const staging = path.join(indexDir, `.staging-${name}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    for (const segment of kept?.segments ?? []) {
      const from = segmentFiles(kept!.dir, segment.name);
      const to = segmentFiles(staging, segment.name);
      // A hard link costs nothing and the file is never written again; copy where links are not allowed.
      for (const key of Object.keys(from) as (keyof typeof from)[]) await link(from[key], to[key]).catch(() => copyFile(from[key], to[key]));
    }
    const sentences = QuantizedRows.from(added.sentenceVectors, manifest.dimensions);
    const sentenceSum = new Float64Array(manifest.dimensions);
    sentences.addAllTo(sentenceSum);
    const segment: Segment = { name, articles: added.articles.length, chunks: added.chunks.length, sentences: sentences.rows, sentenceSum: Array.from(sentenceSum) };
    await writeSegment(segmentFiles(staging, name), added, sentences);
    // The manifest goes last: a version folder without one is incomplete by definition.
    const full: Manifest = { ...manifest, segments: [...(kept?.segments ?? []), segment] };
    await writeFile(path.join(staging, 'manifest.json'), JSON.stringify(full, null, 2));
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

async function writeSegment(files: ReturnType<typeof segmentFiles>, contents: SegmentContents, sentences: QuantizedRows): Promise<void> {
  const { articles, chunks, chunkVectors, lexical } = contents;
  const dims = sentences.dims;
  // vectra's batchInsertItems scans all items per insert (quadratic); its codec writes the same file in one pass.
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
  await writeFile(files.vectra, new ProtobufCodec().serializeIndex({ version: 1, metadata_config: {}, items }));
  await writeFile(files.articles, JSON.stringify(articles));
  await writeFile(files.sentences, sentences.bytes());
  await writeFile(files.lexical, JSON.stringify(lexical));
}

/** Whether every file of these segments is there (and the raw vectors have their size): safe to link into a new version. */
export async function segmentsIntact(dir: string, manifest: Manifest): Promise<boolean> {
  const size = (file: string) => stat(file).then((s) => s.size, () => -1);
  for (const segment of manifest.segments) {
    const { vectra, articles, sentences, lexical } = segmentFiles(dir, segment.name);
    if ((await Promise.all([vectra, articles, lexical].map(size))).includes(-1)) return false;
    if ((await size(sentences)) !== QuantizedRows.fileBytes(segment.sentences, manifest.dimensions)) return false;
  }
  return true;
}

/** Keeps the live version and the one before it (a bot may still be loading it); removes the rest. */
async function removeOldVersions(indexDir: string, live: string): Promise<void> {
  const versions = (await readdir(indexDir)).filter((n) => n.startsWith('v-') && n !== live).sort();
  for (const old of versions.slice(0, -1)) await rm(path.join(indexDir, old), { recursive: true, force: true });
}

/** Replaces a version's manifest atomically (a reader sees the old one or the new one): for stamps only. */
export async function rewriteManifest(versionDir: string, manifest: Manifest): Promise<void> {
  const temporary = path.join(versionDir, `.manifest.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(manifest, null, 2));
  await rename(temporary, path.join(versionDir, 'manifest.json'));
}

export async function readManifest(versionDir: string): Promise<Manifest> {
  return readJson<Manifest>(path.join(versionDir, 'manifest.json'));
}

/** Loads the live version fully into memory, its segments one after another. */
export async function loadIndex(indexDir: string): Promise<LoadedIndex> {
  const dir = await currentVersionDir(indexDir);
  if (!dir) throw new IndexError(`No index found in ${indexDir}. Build it with: npm run index`);
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = await readManifest(dir);
  // An index from another version of Story Desk may differ in layout or terms: answering from it would be wrong or crash.
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(`The index in ${indexDir} was built by another version of Story Desk (format ${manifest.formatVersion}, this one reads ${FORMAT_VERSION}). Rebuild it with: npm run index`);
  }
  const dims = manifest.dimensions;
  const sum = (key: 'chunks' | 'sentences') => manifest.segments?.reduce((n, s) => n + s[key], 0);
  if (sum('chunks') !== manifest.totals.chunks || sum('sentences') !== manifest.totals.sentences || manifest.segments.some((s) => s.sentenceSum?.length !== dims)) {
    throw corrupt(manifestFile, new Error('its segments do not add up to its totals'));
  }

  const articles: IndexedArticle[] = [];
  const chunks: ChunkRecord[] = [];
  const lexicals: SerializedLexical[] = [];
  const chunkVectors = new Float32Array(manifest.totals.chunks * dims);
  let sentenceRow = 0;
  for (const segment of manifest.segments) {
    const files = segmentFiles(dir, segment.name);
    const segmentArticles = await readJson<IndexedArticle[]>(files.articles);
    const articleByFile = new Map(segmentArticles.map((a, i) => [a.file, articles.length + i]));
    for (const article of segmentArticles) {
      article.sentenceRow += sentenceRow;
      articles.push(article);
    }
    lexicals.push(await readJson<SerializedLexical>(files.lexical));

    const vectra = new LocalIndex<ChunkMetadata>(dir, path.basename(files.vectra), undefined, new ProtobufCodec());
    let items;
    try {
      items = await vectra.listItems();
    } catch (error) {
      throw corrupt(files.vectra, error);
    }
    if (items.length !== segment.chunks) throw corrupt(files.vectra, new Error(`${items.length} chunks, manifest says ${segment.chunks}`));
    for (const item of items) {
      const m = item.metadata;
      const article = articleByFile.get(m.file);
      if (article === undefined || item.vector.length !== dims) throw corrupt(files.vectra, new Error(`item ${item.id} does not match ${path.basename(files.articles)}`));
      chunkVectors.set(item.vector, chunks.length * dims);
      chunks.push({ article, index: m.chunk, start: m.start, end: m.end, firstSentence: m.firstSentence, endSentence: m.endSentence, text: m.text });
    }

    sentenceRow += segment.sentences;
  }

  // Allocated once the vectra files are decoded (their transient garbage is gone by then), and read straight
  // into: the int8 rows are used as stored.
  const sentenceVectors = QuantizedRows.allocate(manifest.totals.sentences, dims);
  for (let s = 0, row = 0; s < manifest.segments.length; row += manifest.segments[s]!.sentences, s++) {
    const rows = manifest.segments[s]!.sentences;
    const file = segmentFiles(dir, manifest.segments[s]!.name).sentences;
    await readExactly(file, sentenceVectors.bytes(row, row + rows)).catch((error) => {
      throw corrupt(file, error);
    });
  }

  const lexical = new LexicalIndex(lexicals.length === 1 ? lexicals[0]! : mergeLexical(lexicals));
  return { dir, manifest, articles, chunks, chunkVectors, sentenceVectors, lexical, sentenceStats: sentenceStats(sentenceVectors, manifest.segments) };
}

/** Reads a file into consecutive buffers that together must be exactly its size. */
async function readExactly(file: string, into: Uint8Array[]): Promise<void> {
  const handle = await open(file);
  try {
    const { size } = await handle.stat();
    const expected = into.reduce((n, part) => n + part.byteLength, 0);
    if (size !== expected) throw new Error(`${size} bytes, expected ${expected}`);
    let position = 0;
    for (const part of into) {
      for (let done = 0; done < part.byteLength; ) {
        const { bytesRead } = await handle.read(part, done, part.byteLength - done, position + done);
        if (!bytesRead) throw new Error(`ends after ${position + done} bytes, expected ${size}`);
        done += bytesRead;
      }
      position += part.byteLength;
    }
  } finally {
    await handle.close();
  }
}

/** The segments' BM25 postings as one index: chunk numbers shifted by the chunks of the segments before. */
function mergeLexical(parts: SerializedLexical[]): SerializedLexical {
  const postings: Record<string, number[]> = Object.create(null);
  const lengths: number[] = [];
  for (const part of parts) {
    const offset = lengths.length;
    for (const term in part.postings) {
      const list = part.postings[term]!;
      const merged = (postings[term] ??= []);
      for (let i = 0; i < list.length; i += 2) merged.push(list[i]! + offset, list[i + 1]!);
    }
    for (const length of part.lengths) lengths.push(length);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  return { documents: lengths.length, averageLength: lengths.length ? total / lengths.length : 0, lengths, postings };
}

/** One pass over the sentence vectors at load, so a centred cosine costs one dot product per sentence. */
function sentenceStats(vectors: QuantizedRows, segments: Segment[]): SentenceStats {
  const { rows: n, dims } = vectors;
  const sum = new Float64Array(dims);
  for (const segment of segments) segment.sentenceSum.forEach((v, d) => (sum[d]! += v));
  const mean = Float32Array.from(sum, (v) => (n ? v / n : 0));
  let meanSquare = 0;
  for (let d = 0; d < dims; d++) meanSquare += mean[d]! * mean[d]!;
  const { dots: meanDots, squares } = vectors.dotsAndSquares(mean);
  const centredNorms = Float32Array.from(squares, (square, i) => Math.sqrt(Math.max(1e-12, square - 2 * meanDots[i]! + meanSquare)));
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
