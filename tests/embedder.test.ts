// The embedder's batching and truncation, on the real test model.
import { pipeline } from '@xenova/transformers';
import { describe, expect, it } from 'vitest';
import { loadEmbedder } from '../src/embed/embedder.js';
import { TEST_ENV, testConfig, testEmbedder } from './helpers.js';

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

  it("matches transformers.js's own pipeline (mean pooling, normalised) for questions and passages", async () => {
    const embedder = await testEmbedder();
    const reference = await pipeline('feature-extraction', TEST_ENV.EMBEDDING_MODEL, { quantized: true });
    const texts = ['What did Putin and Kim sign?', 'Putin gifted Kim a luxury car by Russian carmaker Aurus, and took him for a drive.'];
    for (const text of texts) {
      const expected = (await reference(text, { pooling: 'mean', normalize: true })).data as Float32Array;
      expect(closeTo(await embedder.embedQuery(text), expected)).toBeLessThan(1e-5);
      const [passage] = await embedder.embedPassages([{ text }]);
      expect(closeTo(passage!.vector, expected)).toBeLessThan(1e-5);
    }
  });

  it("builds a passage from its sentences' word-pieces exactly as from its text, and pools each sentence", async () => {
    const embedder = await testEmbedder();
    const sentences = ['Kim called Putin the "dearest friend of the Korean people".', 'The two Koreas remain technically at war.'];
    const [fromText, fromPieces] = await embedder.embedPassages([
      { text: sentences.join(' ') },
      { text: sentences.join(' '), pieces: embedder.tokenize(sentences) },
    ]);
    expect(closeTo(fromText!.vector, fromPieces!.vector)).toBeLessThan(1e-6);
    expect(fromPieces!.pieces).toHaveLength(2);
    // Each sentence's own vector is closer to that sentence alone than to the other sentence.
    const alone = await Promise.all(sentences.map((t) => embedder.embedPassages([{ text: t }]).then((r) => r[0]!.vector)));
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    expect(dot(fromPieces!.pieces[0]!, alone[0]!)).toBeGreaterThan(dot(fromPieces!.pieces[0]!, alone[1]!));
    expect(dot(fromPieces!.pieces[1]!, alone[1]!)).toBeGreaterThan(dot(fromPieces!.pieces[1]!, alone[0]!));
  });

  it('truncates a passage longer than the model takes instead of failing', async () => {
    const embedder = await testEmbedder();
    const words = Array.from({ length: embedder.maxInputTokens + 50 }, (_, i) => `word${i % 7}`).join(' ');
    const [cut, cutMore] = await embedder.embedPassages([{ text: words }, { text: `${words} treaty artillery missiles` }]);
    // Past the limit, extra words change nothing: the model only ever saw the first maxInputTokens.
    expect(closeTo(cut!.vector, cutMore!.vector)).toBeLessThan(1e-6);
    expect(embedder.countTokens([words])[0]).toBeGreaterThan(embedder.maxInputTokens);
  });

  it('puts QUERY_PREFIX before questions and PASSAGE_PREFIX before passages (e5/bge style)', async () => {
    const plain = await testEmbedder();
    const prefixed = await loadEmbedder(testConfig({ QUERY_PREFIX: 'query: ', PASSAGE_PREFIX: 'passage: ' }).embedding);
    const question = 'What did Putin and Kim sign?';
    const passage = 'Putin gifted Kim a luxury car.';
    expect(closeTo(await prefixed.embedQuery(question), await plain.embedQuery(`query: ${question}`))).toBeLessThan(1e-5);
    expect(closeTo(await prefixed.embedQuery(question), await plain.embedQuery(question))).toBeGreaterThan(1e-3);
    const [withPrefix] = await prefixed.embedPassages([{ text: passage, pieces: prefixed.tokenize([passage]) }]);
    const [byHand] = await plain.embedPassages([{ text: `passage: ${passage}` }]);
    expect(closeTo(withPrefix!.vector, byHand!.vector)).toBeLessThan(1e-5);
  });
});
