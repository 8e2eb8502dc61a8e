// Vitest setupFiles: before each test file, the settings that name where Story Desk writes point into a folder of
// its own under the test run's temporary folder (tests/setup/run-dir.ts), so that neither a config loaded from
// process.env nor a spawned `npm start`/script falls back to .data/. Tests that need their own paths still pass them.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

const dir = mkdtempSync(path.join(inject('testRunDir'), 'file-'));
// Set even when the environment names others: a developer's exported FEEDBACK_DB must not collect test questions.
process.env.FEEDBACK_DB = path.join(dir, 'feedback.sqlite');
process.env.INDEX_DIR = path.join(dir, 'index');
process.env.MODEL_CACHE_DIR = path.join(dir, 'model-cache');
