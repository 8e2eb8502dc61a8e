// The index folder on disk. Each build writes a complete new version folder, then flips the
// CURRENT pointer with an atomic rename: readers see the old index or the new one, never half of one.
//
//   INDEX_DIR/CURRENT          name of the live version
//   INDEX_DIR/v-<time>-<pid>/  manifest.json, and per segment <seg>.pb (chunk records, vectra's protobuf),
//                              <seg>.articles.json, <seg>.sentences.i8 (int8 rows, see quantized.ts),
//                              <seg>.lexical.json
//                              <seg>.vocabulary.json
//
// Segment files are never rewritten. A build that only adds articles writes them as one new segment and
// hard-links the previous version's segments into the new folder, so its cost follows the new articles,
// not the index; each version folder still holds everything it needs.
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const POINTER = 'CURRENT';
export const MANIFEST = 'manifest.json';

/** A segment's files by what they hold. */
export const SEGMENT_FILES = {
  chunks: '.pb',
  articles: '.articles.json',
  sentences: '.sentences.i8',
  lexical: '.lexical.json',
  vocabulary: '.vocabulary.json',
} as const;
export type SegmentPart = keyof typeof SEGMENT_FILES;
export const SEGMENT_PARTS = Object.keys(SEGMENT_FILES) as SegmentPart[];

export function segmentFile(versionDir: string, segment: string, part: SegmentPart): string {
  return path.join(versionDir, `${segment}${SEGMENT_FILES[part]}`);
}

/** The live version's folder, or null when no index has been built here. */
export async function currentVersionDir(indexDir: string): Promise<string | null> {
  const name = (await readFile(path.join(indexDir, POINTER), 'utf8').catch(() => '')).trim();
  return name ? path.join(indexDir, name) : null;
}

/** A new version's name: sortable by time, unique per process. */
export function newVersionName(): string {
  return `v-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
}

export function stagingDir(indexDir: string, name: string): string {
  return path.join(indexDir, `.staging-${name}`);
}

/** Makes `name` the live version: readers switch on the pointer's atomic rename. */
export async function flipPointer(indexDir: string, name: string): Promise<void> {
  const temporary = path.join(indexDir, `.${POINTER}.${process.pid}.tmp`);
  await writeFile(temporary, `${name}\n`);
  await rename(temporary, path.join(indexDir, POINTER));
}

/** Keeps the live version and the one before it (a bot may still be loading it); removes the rest. */
export async function removeOldVersions(indexDir: string, live: string): Promise<void> {
  const versions = (await readdir(indexDir)).filter((n) => n.startsWith('v-') && n !== live).sort();
  for (const old of versions.slice(0, -1)) await rm(path.join(indexDir, old), { recursive: true, force: true });
}
