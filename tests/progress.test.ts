import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../scripts/progress.js';

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
});
