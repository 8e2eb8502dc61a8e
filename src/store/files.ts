// Versions of the index on disk (layout in layout.ts): writes a version from its stored structures and
// loads the live one back. Each structure (chunk table, lexical index, quantized rows) knows its own
// bytes; this module only places them in files, links unchanged segments and flips the pointer.
import { createHash } from 'node:crypto';
import { copyFile, type FileHandle, link, mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ChunkTable } from './chunks.js';
import { digestOf, syncFolder, writeDurably } from './durable.js';
import { LexicalIndex } from './lexical.js';
import { QuantizedRows } from './quantized.js';
import { parseWordTallies, vocabularyFrom, type WordTallies } from '../question/vocabulary.js';
import {
  currentVersionDir,
  flipPointer,
  MANIFEST,
  newVersionName,
  removeOldVersions,
  SEGMENT_PARTS,
  segmentFile,
  stagingDir,
  type SegmentPart,
} from './layout.js';
import { FORMAT_VERSION, type FileDigest, type IndexedArticle, type LoadedIndex, type Manifest, type Segment, type SentenceStats } from './types.js';

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
  vocabulary: WordTallies;
}

/** A manifest before it is written: the segments (and which segment holds a new article) are filled in then. */
export type ManifestDraft = Omit<Manifest, 'segments' | 'articles'> & {
  articles: Record<string, Omit<Manifest['articles'][string], 'segment'> & { segment?: string }>;
};

/**
 * Writes a version made of `kept` segments (hard-linked from the version folder they live in; the caller
 * has verified them) followed by a new segment holding `added`; the manifest's segment list is filled in
 * here. Every file is on disk before the pointer flips. The caller holds the index lock.
 */
export async function writeVersion(
  indexDir: string,
  manifest: ManifestDraft,
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
    const files = await writeSegment(staging, name, added);
    const segment: Segment = {
      name,
      articles: added.articles.length,
      chunks: added.chunks.records.length,
      sentences: added.sentences.rows,
      sentenceSum: Array.from(sentenceSum),
      files,
    };
    const addedFiles = new Set(added.articles.map((a) => a.file));
    const articles: Manifest['articles'] = {};
    for (const [file, entry] of Object.entries(manifest.articles)) {
      articles[file] = { ...entry, segment: addedFiles.has(file) ? name : (entry.segment ?? name) };
    }
    // The manifest goes last: a version folder without one is incomplete by definition.
    const full: Manifest = { ...manifest, articles, segments: [...(kept?.segments ?? []), segment] };
    await writeDurably(path.join(staging, MANIFEST), JSON.stringify(full, null, 2));
    await syncFolder(staging);
    await rename(staging, path.join(indexDir, name));
    await syncFolder(indexDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await flipPointer(indexDir, name);
  await removeOldVersions(indexDir, name);
  return path.join(indexDir, name);
}

async function writeSegment(dir: string, name: string, contents: SegmentContents): Promise<Segment['files']> {
  return {
    chunks: await writeDurably(segmentFile(dir, name, 'chunks'), contents.chunks.serialize(contents.articles)),
    articles: await writeDurably(segmentFile(dir, name, 'articles'), JSON.stringify(contents.articles)),
    sentences: await writeDurably(segmentFile(dir, name, 'sentences'), contents.sentences.bytes()),
    lexical: await writeDurably(segmentFile(dir, name, 'lexical'), contents.lexical.serialize()),
    vocabulary: await writeDurably(segmentFile(dir, name, 'vocabulary'), JSON.stringify(contents.vocabulary)),
  };
}

/**
 * Each segment whose files are missing or differ from the size and checksum the manifest recorded, with
 * what is wrong: those must not be loaded or linked into a new version.
 */
export async function damagedSegments(dir: string, manifest: Manifest): Promise<Map<string, string>> {
  const damaged = new Map<string, string>();
  for (const segment of manifest.segments) {
    for (const part of SEGMENT_PARTS) {
      const problem = await checkFile(segmentFile(dir, segment.name, part), segment.files?.[part]);
      if (problem) {
        damaged.set(segment.name, `${path.basename(segmentFile(dir, segment.name, part))} ${problem}`);
        break;
      }
    }
  }
  return damaged;
}

async function checkFile(file: string, expected: FileDigest | undefined): Promise<string | null> {
  if (!expected) return 'has no checksum in the manifest';
  let handle: FileHandle | undefined;
  try {
    handle = await open(file);
  } catch (error) {
    return `is missing (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  try {
    const { size } = await handle.stat();
    if (size !== expected.bytes) return `has ${size} bytes, the manifest says ${expected.bytes}`;
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex') === expected.sha256 ? null : 'does not match its checksum (damaged)';
  } finally {
    await handle.close();
  }
}

/** Removes staging folders and pointer files left by builds that were killed. Only under the index lock. */
export async function removeLeftovers(indexDir: string): Promise<string[]> {
  const names = await readdir(indexDir).catch(() => [] as string[]);
  const leftovers = names.filter((n) => n.startsWith('.staging-') || /^\.CURRENT\..*\.tmp$/.test(n));
  for (const name of leftovers) await rm(path.join(indexDir, name), { recursive: true, force: true });
  return leftovers;
}

/** Replaces a version's manifest atomically (a reader sees the old one or the new one): for stamps only. */
export async function rewriteManifest(versionDir: string, manifest: Manifest): Promise<void> {
  const temporary = path.join(versionDir, `.manifest.${process.pid}.tmp`);
  await writeDurably(temporary, JSON.stringify(manifest, null, 2));
  await rename(temporary, path.join(versionDir, MANIFEST));
  await syncFolder(versionDir);
}

export async function readManifest(versionDir: string): Promise<Manifest> {
  const file = path.join(versionDir, MANIFEST);
  return parseWith(file, await readBytes(file), (bytes) => JSON.parse(bytes.toString('utf8')) as Manifest);
}

/** What the one loading an index needs it to have been built with (the bot: its own model; dimensions once known). */
export interface IndexExpectation {
  model: string;
  dimensions?: number;
}

/**
 * Loads the live version fully into memory, its segments one after another, each file checked against
 * the size and checksum in the manifest first. With an expectation, an index built with another model is
 * refused before anything else is read: start-up and reload use this one check.
 */
export async function loadIndex(indexDir: string, expect?: IndexExpectation): Promise<LoadedIndex> {
  const dir = await currentVersionDir(indexDir);
  if (!dir) throw new IndexError(`No index found in ${indexDir}. Build it with: npm run index`);
  const manifest = await readManifest(dir);
  checkCompatible(indexDir, manifest, expect);
  return loadVersion(dir, manifest);
}

function checkCompatible(indexDir: string, manifest: Manifest, expect: IndexExpectation | undefined): void {
  // An index from another version of Story Desk may differ in layout or terms: answering from it would be wrong or crash.
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(
      `The index in ${indexDir} was built by another version of Story Desk (format ${manifest.formatVersion}, this one reads ${FORMAT_VERSION}). Rebuild it with: npm run index`,
    );
  }
  if (expect) checkBuiltWith(indexDir, manifest, expect);
}

/** Refuses an index built with another model than `expect` names (or with other dimensions, when given). */
export function checkBuiltWith(indexDir: string, manifest: Manifest, expect: IndexExpectation): void {
  if (manifest.model !== expect.model || (expect.dimensions !== undefined && manifest.dimensions !== expect.dimensions)) {
    throw new IndexError(
      `The index in ${indexDir} was built with the model "${manifest.model}" (${manifest.dimensions} dimensions), but EMBEDDING_MODEL is "${expect.model}"${expect.dimensions === undefined ? '' : ` (${expect.dimensions})`}. Rebuild it with: npm run index`,
    );
  }
}

/** Loads a version's segments (all, or the `only` ones: a build reusing the intact part of a damaged version). */
export async function loadVersion(dir: string, manifest: Manifest, only?: Set<string>): Promise<LoadedIndex> {
  const manifestFile = path.join(dir, MANIFEST);
  const dims = manifest.dimensions;
  const segments = only ? manifest.segments.filter((s) => only.has(s.name)) : manifest.segments;
  const sum = (key: 'chunks' | 'sentences') => manifest.segments?.reduce((n, s) => n + s[key], 0);
  if (
    sum('chunks') !== manifest.totals.chunks ||
    sum('sentences') !== manifest.totals.sentences ||
    manifest.segments.some((s) => s.sentenceSum?.length !== dims || !s.files)
  ) {
    throw corrupt(manifestFile, new Error('its segments do not add up to its totals'));
  }

  const articles: IndexedArticle[] = [];
  const lexicals: LexicalIndex[] = [];
  const vocabularies: WordTallies[] = [];
  const tables: { table: ChunkTable; articleOffset: number }[] = [];
  let sentenceRow = 0;
  for (const segment of segments) {
    const read = <T>(part: SegmentPart, parse: (bytes: Buffer) => T) => readVerified(segmentFile(dir, segment.name, part), segment.files[part], parse);
    const segmentArticles = await read('articles', (bytes) => JSON.parse(bytes.toString('utf8')) as IndexedArticle[]);
    const table = await read('chunks', (bytes) => ChunkTable.deserialize(bytes, dims, segmentArticles));
    if (table.records.length !== segment.chunks)
      throw corrupt(segmentFile(dir, segment.name, 'chunks'), new Error(`${table.records.length} chunks, manifest says ${segment.chunks}`));
    tables.push({ table, articleOffset: articles.length });
    for (const article of segmentArticles) {
      article.sentenceRow += sentenceRow;
      articles.push(article);
    }
    lexicals.push(await read('lexical', (bytes) => LexicalIndex.deserialize(bytes.toString('utf8'))));
    vocabularies.push(await read('vocabulary', (bytes) => parseWordTallies(bytes.toString('utf8'))));
    sentenceRow += segment.sentences;
  }
  const chunks = ChunkTable.merge(dims, tables);

  // Allocated once the chunk files are decoded (their transient garbage is gone by then), and read straight
  // into: the int8 rows are used as stored, checked against their checksum as read.
  const sentenceVectors = QuantizedRows.allocate(sentenceRow, dims);
  for (let s = 0, row = 0; s < segments.length; row += segments[s]!.sentences, s++) {
    const segment = segments[s]!;
    const file = segmentFile(dir, segment.name, 'sentences');
    const parts = sentenceVectors.bytes(row, row + segment.sentences);
    await readExactly(file, parts).catch((error) => {
      throw corrupt(file, error);
    });
    if (digestOf(parts).sha256 !== segment.files.sentences.sha256) throw corrupt(file, new Error('does not match its checksum'));
  }

  return {
    dir,
    manifest,
    articles,
    chunks: chunks.records,
    chunkVectors: chunks.vectors,
    sentenceVectors,
    lexical: LexicalIndex.merge(lexicals),
    sentenceStats: sentenceStats(sentenceVectors, segments),
    vocabulary: vocabularyFrom(vocabularies),
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
  return new IndexError(`The index file ${file} is damaged or incomplete (${(cause as Error).message}). Repair it with: npm run index`);
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

/** Reads a stored structure's file, checks its size and checksum, then parses it. */
async function readVerified<T>(file: string, expected: FileDigest, parse: (bytes: Buffer) => T): Promise<T> {
  const bytes = await readBytes(file);
  const digest = digestOf([bytes]);
  if (digest.bytes !== expected.bytes) throw corrupt(file, new Error(`${digest.bytes} bytes, the manifest says ${expected.bytes}`));
  if (digest.sha256 !== expected.sha256) throw corrupt(file, new Error('does not match its checksum'));
  return parseWith(file, bytes, parse);
}
