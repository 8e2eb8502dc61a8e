import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../src/indexing/build.js';
import { progressReporter } from '../scripts/progress.js';
import { copyCorpus, tempDir, testConfig, testEmbedder } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(() => work?.cleanup());

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const out = new Writable({
    write: (chunk, _enc, done) => {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  out.isTTY = isTTY;
  return { out, chunks };
}

describe('index progress', () => {
  it('redraws one bar with count, rate and ETA on a terminal, ending the line when done', () => {
    const { out, chunks } = stream(true);
    const progress = progressReporter('chunks', out);
    progress.update(5, 20);
    progress.update(20, 20);
    expect(chunks).toHaveLength(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line escape is what is asserted
    expect(chunks[0]).toMatch(/^\r\[#{6}\.{18}\] 5\/20 chunks {2}[\d.]+\/s {2}ETA \d+s\x1b\[K$/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line escape is what is asserted
    expect(chunks[1]).toMatch(/^\r\[#{24}\] 20\/20 chunks {2}[\d.]+\/s {2}ETA 0s\x1b\[K\n$/);
  });

  it('writes plain lines (no redraws) when not a terminal, at most every 2 s plus the last one', () => {
    const { out, chunks } = stream(false);
    const progress = progressReporter('chunks', out);
    for (let done = 1; done <= 50; done++) progress.update(done, 50);
    expect(chunks.at(-1)).toMatch(/^50\/50 chunks {2}[\d.]+\/s {2}ETA 0s\n$/);
    expect(chunks.length).toBeLessThanOrEqual(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no escape codes off a terminal is what is asserted
    expect(chunks.join('')).not.toMatch(/\r|\x1b/);
  });

  it('counts rate and ETA from the start of its stage, not from before it, and from the share of the work done', () => {
    const { out, chunks } = stream(false);
    let clock = 0;
    const progress = progressReporter('chunks', out, () => clock);
    // Three seconds of loading and reading before embedding starts: none of it is the embedding's.
    clock = 3_000;
    progress.update(0, 1000, 0);
    // The stage's first line at once, before anything is done.
    expect(chunks).toEqual(['0/1000 chunks\n']);
    // 2.5 s later, 100 short chunks make 5 % of the work: 48 s to go (not the 23 s 100 of 1000 would suggest,
    // nor the 104 s of a clock started 3 s early).
    clock = 5_500;
    progress.update(100, 1000, 0.05);
    clock = 53_000;
    progress.update(1000, 1000, 1);
    expect(chunks).toEqual(['0/1000 chunks\n', '100/1000 chunks  40.0/s  ETA 48s\n', '1000/1000 chunks  20.0/s  ETA 0s\n']);
  });

  it('buildIndex tells each stage as it starts: files read from 0, then chunks from 0, the share of the work rising to 1', async () => {
    const config = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
    const events: string[] = [];
    const shares: number[] = [];
    await buildIndex(config, await testEmbedder(), {
      onRead: (done, total) => events.push(`read ${done}/${total}`),
      onProgress: (done, total, share) => {
        events.push(`embed ${done}/${total}`);
        shares.push(share);
      },
    });
    const reads = events.filter((e) => e.startsWith('read'));
    expect(reads).toEqual(['read 0/2', 'read 1/2', 'read 2/2']);
    const embeds = events.filter((e) => e.startsWith('embed'));
    expect(events.indexOf(embeds[0]!)).toBeGreaterThan(events.indexOf('read 2/2'));
    expect(embeds[0]).toMatch(/^embed 0\/\d+$/);
    expect(embeds.at(-1)).toMatch(/^embed (\d+)\/\1$/);
    expect(shares[0]).toBe(0);
    expect(shares.at(-1)).toBeCloseTo(1, 9);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThan(shares[i - 1]!);
  });
});
