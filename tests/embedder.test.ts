// The embedder's batching and truncation, on the real test model.
import { describe, expect, it } from 'vitest';
import { testEmbedder } from './helpers.js';

const closeTo = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

describe('embedder', () => {
  it('gives a passage the same vector alone as in a batch padded for longer passages', async () => {
    const embedder = await testEmbedder();
    const short = { text: 'Putin gave Kim a car.' };
    const long = { text: 'The two leaders signed a comprehensive strategic partnership treaty in Pyongyang. '.repeat(8) };
    const [alone] = await embedder.embedPassages([short]);
    const batched = await embedder.embedPassages([long, short, long]);
    expect(closeTo(alone!.vector, batched[1]!.vector)).toBeLessThan(1e-5);
    expect(closeTo(batched[0]!.vector, batched[2]!.vector)).toBeLessThan(1e-5);
  });

  it('truncates a passage longer than the model takes instead of failing', async () => {
    const embedder = await testEmbedder();
    const words = Array.from({ length: embedder.maxInputTokens + 50 }, (_, i) => `word${i % 7}`).join(' ');
    const [cut, cutMore] = await embedder.embedPassages([{ text: words }, { text: `${words} treaty artillery missiles` }]);
    // Past the limit, extra words change nothing: the model only ever saw the first maxInputTokens.
    expect(closeTo(cut!.vector, cutMore!.vector)).toBeLessThan(1e-6);
    expect(embedder.countTokens([words])[0]).toBeGreaterThan(embedder.maxInputTokens);
  });
});
