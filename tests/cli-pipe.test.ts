// Machine output pipes cleanly: no banner on stdout, and a reader that stops early (`| head -1`) ends quietly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildIndex } from '../src/indexing/build.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig, testEmbedder } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
let indexDir: string;

beforeAll(async () => {
  work = await tempDir();
  const config = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
  indexDir = config.indexDir;
  await buildIndex(config, await testEmbedder());
});

afterAll(() => work?.cleanup());

it('ask --json | head -1: the first line is JSON, the closed pipe ends the process quietly with 0', async () => {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/ask.ts', '--json', '--stdin', '--index', indexDir], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Plenty of questions, so output is still being written when the reader goes away.
  child.stdin.end(Array.from({ length: 400 }, (_, i) => `What did Putin give Kim? (${i})`).join('\n'));
  const first = await new Promise<string>((resolve) => {
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += d;
      if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
    });
  });
  child.stdout.destroy(); // what `head -1` does after its line
  expect(JSON.parse(first)).toMatchObject({ question: 'What did Putin give Kim? (0)', answered: expect.any(Boolean), status: expect.any(String) });
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(/EPIPE|Error/);
}, 30_000);
