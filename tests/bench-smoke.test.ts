// The benchmark script runs end to end on a tiny size (no timings are asserted: numbers live in `npm run bench`).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { ROOT, TEST_ENV } from './helpers.js';

const run = promisify(execFile);

it('npm run bench prints its report as JSON on a tiny corpus', async () => {
  const { stdout } = await run(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['scripts/bench.ts', '--sizes', '150,300', '--index-chunks', '30', '--rounds', '2', '--questions', '10', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, MODEL_DIR: TEST_ENV.MODEL_DIR, BENCH_MODEL: TEST_ENV.EMBEDDING_MODEL },
    },
  );
  const report = JSON.parse(stdout);
  expect(report.model).toBe(TEST_ENV.EMBEDDING_MODEL);
  expect(report.indexing.chunksPerRound).toHaveLength(2);
  // Throughputs (chunks/s) are positive on any machine. The ratios between them are reported, not judged: on a busy
  // machine one rounds to 0.00, and a test that reads a timing ratio fails at random.
  for (const key of ['endToEnd', 'ceiling', 'naive']) expect(report.indexing[key].median).toBeGreaterThan(0);
  for (const key of ['vsCeiling', 'vsNaive'])
    expect(report.indexing[key]).toEqual({ median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) });
  expect(report.latency.map((l: { chunks: number }) => l.chunks)).toEqual([expect.any(Number), expect.any(Number)]);
  expect(report.latency[1].chunks).toBeGreaterThan(report.latency[0].chunks);
  for (const l of report.latency) expect(Object.keys(l.split)).toEqual(['embed', 'dense', 'lexical', 'quotes']);
  expect(report.indexing.batching.map((b: { batchSize: number }) => b.batchSize)).toEqual([1, 4, 8, 16, 32]);
  expect(report.memory.rssMiB.median).toBeGreaterThan(0);
  expect(report.incremental.addedArticles).toBe(1);
}, 120_000);
