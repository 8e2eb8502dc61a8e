// One writer at a time: an index build holds INDEX_DIR/.lock (the holder's pid, host and start time)
// from before it reads the live version until its own version is live. Another build waits for it
// (or fails fast), so no build publishes a version that lacks what the other added. A lock whose
// holder is no longer running on this host is stale and taken over.
import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IndexError } from './files.js';

export const LOCK_FILE = '.lock';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

export class IndexLockedError extends IndexError {
  override name = 'IndexLockedError';
}

export interface LockOptions {
  /** How long to wait for another build before giving up (0: fail at once). */
  waitMs: number;
  /** Told once when the lock is held by someone else and this build waits. */
  onWait?: (holder: string) => void;
  /** Told when a stale lock (its holder is gone) was removed. */
  onStale?: (holder: string) => void;
}

const POLL_MS = 150;

/** Runs `work` holding the index folder's lock. */
export async function withIndexLock<T>(indexDir: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  await mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: randomUUID() };
  const deadline = Date.now() + options.waitMs;
  let told = false;
  let unreadableSince = 0;
  for (;;) {
    if (await tryCreate(file, mine)) break;
    const holder = await readLock(file);
    if (!holder) {
      // Released between our attempts, or being written: try again shortly. Still unreadable after a
      // second, it was left half-written by a killed build: remove it.
      unreadableSince ||= Date.now();
      if (Date.now() - unreadableSince > 1000) {
        await unlink(file).catch(() => undefined);
        options.onStale?.('an unreadable lock file');
        unreadableSince = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    unreadableSince = 0;
    if (isStale(holder)) {
      // Remove it only if it is still the stale one we read (another waiter may have replaced it already).
      const again = await readLock(file);
      if (again?.token === holder.token) {
        await unlink(file).catch(() => undefined);
        options.onStale?.(describe(holder));
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new IndexLockedError(
        `Another index build (${describe(holder)}) is writing ${indexDir}. Wait for it to finish and run this again` +
          ` (INDEX_LOCK_WAIT_SECONDS sets how long to wait). If no build is running, delete ${file}.`,
      );
    }
    if (!told) {
      options.onWait?.(describe(holder));
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    const current = await readLock(file);
    if (current?.token === mine.token) await unlink(file).catch(() => undefined);
  }
}

async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(info));
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    if (typeof data.pid !== 'number' || typeof data.token !== 'string') return null;
    return { pid: data.pid, host: String(data.host ?? ''), startedAt: String(data.startedAt ?? ''), token: data.token };
  } catch {
    return null;
  }
}

/** A holder on this host whose process is gone. A lock from another host is never judged stale. */
function isStale(holder: LockInfo): boolean {
  return processGone(holder.pid, holder.host);
}

/** Whether the process `pid` on `host` has ended (never judged for another host: it may well be running). */
export function processGone(pid: number, host: string): boolean {
  if (host !== os.hostname()) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describe(holder: LockInfo): string {
  return `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}`;
}
