// Writes that survive a crash or power cut: each file is flushed to disk before the folder that names it,
// and the folder before the pointer that makes it live. Without it a rename can reach the disk before the
// data it points to, and a power cut leaves a live version of zero-filled files.
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import type { FileDigest } from './types.js';

/** Writes the file, flushes it to disk, and returns its size and checksum. */
export async function writeDurably(file: string, data: Uint8Array | string | Uint8Array[]): Promise<FileDigest> {
  const parts = Array.isArray(data) ? data : [typeof data === 'string' ? Buffer.from(data) : data];
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(file, 'w');
  try {
    for (const part of parts) {
      await handle.write(part);
      hash.update(part);
      bytes += part.byteLength;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Flushes a folder's entries (new names, renames) to disk. Some platforms cannot open folders: then it is a no-op. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (e.g. Windows): the rename is as durable as the platform makes it.
  } finally {
    await handle?.close();
  }
}

export function digestOf(parts: Uint8Array[]): FileDigest {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const part of parts) {
    hash.update(part);
    bytes += part.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}
