// Hot reload: when `npm run index` flips the CURRENT pointer, load the new version beside the
// old one and switch only once it is fully in memory. Questions never see a half-loaded index.
import { watch, type FSWatcher } from 'node:fs';
import { currentVersionDir, loadIndex, type IndexExpectation } from './files.js';
import type { LoadedIndex } from './types.js';

export interface IndexWatcher {
  close(): void;
  /** Checks the pointer now (also runs on file-system events and on a slow timer). */
  check(): Promise<void>;
}

export function watchIndex(
  indexDir: string,
  current: () => LoadedIndex,
  onLoaded: (index: LoadedIndex) => void,
  onError: (error: Error) => void,
  pollMs = 5000,
  expect?: IndexExpectation,
): IndexWatcher {
  let checking: Promise<void> | null = null;
  // A version that failed to load is not tried again (and not reported again) until the pointer moves on.
  let failed: string | null = null;
  let again = false;
  const check = async (): Promise<void> => {
    if (checking) {
      again = true;
      return checking;
    }
    checking = (async () => {
      do {
        again = false;
        try {
          const dir = await currentVersionDir(indexDir);
          if (dir && dir !== current().dir && dir !== failed) {
            try {
              const next = await loadIndex(indexDir, expect);
              if (next.dir !== current().dir) onLoaded(next);
            } catch (error) {
              failed = dir;
              throw error;
            }
          }
        } catch (error) {
          // A vanished or damaged folder, or another model's index: keep serving the index already in memory.
          onError(error as Error);
        }
      } while (again);
    })().finally(() => (checking = null));
    return checking;
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(indexDir, { persistent: false }, (_event, name) => {
      if (name === 'CURRENT') void check();
    });
    watcher.on('error', () => undefined);
  } catch {
    // No watch support (or the folder is gone): the timer still catches up.
  }
  const timer = setInterval(() => void check(), pollMs);
  timer.unref();
  return {
    close() {
      watcher?.close();
      clearInterval(timer);
    },
    check,
  };
}
