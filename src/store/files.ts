// Versions of the index on disk (layout in layout.ts): writes a version from its stored structures and
// loads the live one back. Each structure (chunk table, lexical index, quantized rows) knows its own
// bytes; this module only places them in files, links unchanged segments and flips the pointer.
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChunkTable } from './chunks.js';
import { LexicalIndex } from './lexical.js';
import { QuantizedRows } from './quantized.js';
import { currentVersionDir, flipPointer, MANIFEST, newVersionName, removeOldVersions, SEGMENT_PARTS, segmentFile, stagingDir } from './layout.js';
import { FORMAT_VERSION, type IndexedArticle, type LoadedIndex, type Manifest, type Segment, type SentenceStats } from './types.js';

export { currentVersionDir } from './layout.js';

export class IndexError extends Error {
  override name = 'IndexError';
}

/** One segment's articles (sentence rows counted from the segment's first), chunks, sentence rows and postings. */
export interface SegmentContents {
  articles: IndexedArticle[];
  chunks: ChunkTable;
  sentences: QuantizedRows;
  lexical: LexicalIndex;
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
  const name = newVersionName();
  const staging = stagingDir(indexDir, name);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    for (const segment of kept?.segments ?? []) {
      for (const part of SEGMENT_PARTS) {
        const from = segmentFile(kept!.dir, segment.name, part);
        const to = segmentFile(staging, segment.name, part);
        // A hard link costs nothing and the file is never written again; copy where links are not allowed.
        await link(from, to).catch(() => copyFile(from, to));
      }
    }
    const sentenceSum = new Float64Array(manifest.dimensions);
    added.sentences.addAllTo(sentenceSum);
    const segment: Segment = { name, articles: added.articles.length, chunks: added.chunks.records.length, sentences: added.sentences.rows, sentenceSum: Array.from(sentenceSum) };
    await writeSegment(staging, name, added);
    // The manifest goes last: a version folder without one is incomplete by definition.
    const full: Manifest = { ...manifest, segments: [...(kept?.segments ?? []), segment] };
    await writeFile(path.join(staging, MANIFEST), JSON.stringify(full, null, 2));
    await rename(staging, path.join(indexDir, name));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await flipPointer(indexDir, name);
  await removeOldVersions(indexDir, name);
  return path.join(indexDir, name);
}

async function writeSegment(dir: string, name: string, contents: SegmentContents): Promise<void> {
  await writeFile(segmentFile(dir, name, 'chunks'), contents.chunks.serialize(contents.articles));
  await writeFile(segmentFile(dir, name, 'articles'), JSON.stringify(contents.articles));
  await writeFile(segmentFile(dir, name, 'sentences'), contents.sentences.bytes());
  await writeFile(segmentFile(dir, name, 'lexical'), contents.lexical.serialize());
}

/** Whether every file of these segments is there (and the raw vectors have their size): safe to link into a new version. */
export async function segmentsIntact(dir: string, manifest: Manifest): Promise<boolean> {
  const size = (file: string) => stat(file).then((s) => s.size, () => -1);
  for (const segment of manifest.segments) {
    if ((await Promise.all(SEGMENT_PARTS.map((part) => size(segmentFile(dir, segment.name, part))))).includes(-1)) return false;
    if ((await size(segmentFile(dir, segment.name, 'sentences'))) !== QuantizedRows.fileBytes(segment.sentences, manifest.dimensions)) return false;
  }
  return true;
}

/** Replaces a version's manifest atomically (a reader sees the old one or the new one): for stamps only. */
export async function rewriteManifest(versionDir: string, manifest: Manifest): Promise<void> {
  const temporary = path.join(versionDir, `.manifest.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(manifest, null, 2));
  await rename(temporary, path.join(versionDir, MANIFEST));
}

export async function readManifest(versionDir: string): Promise<Manifest> {
  const file = path.join(versionDir, MANIFEST);
  return parseWith(file, await readBytes(file), (bytes) => JSON.parse(bytes.toString('utf8')) as Manifest);
}

/** Loads the live version fully into memory, its segments one after another. */
export async function loadIndex(indexDir: string): Promise<LoadedIndex> {
  const dir = await currentVersionDir(indexDir);
  if (!dir) throw new IndexError(`No index found in ${indexDir}. Build it with: npm run index`);
  const manifestFile = path.join(dir, MANIFEST);
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
  const lexicals: LexicalIndex[] = [];
  const tables: { table: ChunkTable; articleOffset: number }[] = [];
  let sentenceRow = 0;
  for (const segment of manifest.segments) {
    const file = (part: Parameters<typeof segmentFile>[2]) => segmentFile(dir, segment.name, part);
    const segmentArticles = await readStructure(file('articles'), (bytes) => JSON.parse(bytes.toString('utf8')) as IndexedArticle[]);
    const table = await readStructure(file('chunks'), (bytes) => ChunkTable.deserialize(bytes, dims, segmentArticles));
    if (table.records.length !== segment.chunks) throw corrupt(file('chunks'), new Error(`${table.records.length} chunks, manifest says ${segment.chunks}`));
    tables.push({ table, articleOffset: articles.length });
    for (const article of segmentArticles) {
      article.sentenceRow += sentenceRow;
      articles.push(article);
    }
    lexicals.push(await readStructure(file('lexical'), (bytes) => LexicalIndex.deserialize(bytes.toString('utf8'))));
    sentenceRow += segment.sentences;
  }
  const chunks = ChunkTable.merge(dims, tables);

  // Allocated once the chunk files are decoded (their transient garbage is gone by then), and read straight
  // into: the int8 rows are used as stored.
  const sentenceVectors = QuantizedRows.allocate(manifest.totals.sentences, dims);
  for (let s = 0, row = 0; s < manifest.segments.length; row += manifest.segments[s]!.sentences, s++) {
    const rows = manifest.segments[s]!.sentences;
    const file = segmentFile(dir, manifest.segments[s]!.name, 'sentences');
    await readExactly(file, sentenceVectors.bytes(row, row + rows)).catch((error) => {
      throw corrupt(file, error);
    });
  }

  return {
    dir,
    manifest,
    articles,
    chunks: chunks.records,
    chunkVectors: chunks.vectors,
    sentenceVectors,
    lexical: LexicalIndex.merge(lexicals),
    sentenceStats: sentenceStats(sentenceVectors, manifest.segments),
  };
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

/** One pass over the sentence vectors at load, so a centred cosine costs one dot product per sentence. */
function sentenceStats(vectors: QuantizedRows, segments: Segment[]): SentenceStats {
  const { rows: n, dims } = vectors;
  const sum = new Float64Array(dims);
  for (const segment of segments) {
    segment.sentenceSum.forEach((v, d) => {
      sum[d]! += v;
    });
  }
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

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw corrupt(file, error);
  }
}

function parseWith<T>(file: string, bytes: Buffer, parse: (bytes: Buffer) => T): T {
  try {
    return parse(bytes);
  } catch (error) {
    throw corrupt(file, error);
  }
}

async function readStructure<T>(file: string, parse: (bytes: Buffer) => T): Promise<T> {
  return parseWith(file, await readBytes(file), parse);
}
