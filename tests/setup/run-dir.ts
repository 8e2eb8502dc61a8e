// Vitest globalSetup: one temporary folder per test run, handed to every test file (tests/setup/test-env.ts),
// removed at the end. The run fails if it changed anything under .data/, the developer's own index, model
// cache and feedback database: tests write only into temporary folders.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunDir: string;
  }
}

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.data');
// .ci/run keeps the test reporter's output there: written by the run's caller, not by a test.
const NOT_OURS = new Set([path.join(DATA, 'ci')]);

let runDir = '';
let before = new Map<string, string>();

export async function setup(project: TestProject): Promise<void> {
  runDir = await mkdtemp(path.join(os.tmpdir(), 'story-desk-test-run-'));
  project.provide('testRunDir', runDir);
  before = await snapshot(DATA);
}

export async function teardown(): Promise<void> {
  await rm(runDir, { recursive: true, force: true });
  const after = await snapshot(DATA);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
  if (changed.length) {
    // A teardown's error is printed but does not fail the run by itself.
    process.exitCode = 1;
    throw new Error(
      `The tests changed ${changed.length} file(s) under .data/ (${changed.slice(0, 5).join(', ')}): a test wrote outside its temporary folder. ` +
        'Give it a path under the test run folder (tests/setup/test-env.ts sets FEEDBACK_DB, INDEX_DIR and MODEL_CACHE_DIR).',
    );
  }
}

/** Every file under `dir` with its size and modification time. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if ([...NOT_OURS].some((skip) => file === skip || file.startsWith(`${skip}${path.sep}`))) continue;
    const info = await stat(file).catch(() => null);
    if (info) files.set(path.relative(DATA, file), entry.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`);
  }
  return files;
}
