import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/load.js';
import { splitSentences } from '../src/chunk/sentences.js';
import { chunkSentences } from '../src/chunk/chunker.js';
import { CORPUS, testEmbedder } from './helpers.js';

const sentencesOf = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('does not break on abbreviations, initials, numbers or decimals', () => {
    const text =
      'Mr. Kim met Dr. Lee at 9 a.m. in Pyongyang. The U.S. and its allies sent 210,000 shells, about 3.5 times more. John F. Kennedy was not there.';
    expect(sentencesOf(text)).toEqual([
      'Mr. Kim met Dr. Lee at 9 a.m. in Pyongyang.',
      'The U.S. and its allies sent 210,000 shells, about 3.5 times more.',
      'John F. Kennedy was not there.',
    ]);
    // "Art." before its number is a reference; "art." before a new sentence ends one.
    expect(sentencesOf('Art. 4 of the treaty, see p. 12, binds both. Kim gave Putin art. The art was a bust.')).toEqual([
      'Art. 4 of the treaty, see p. 12, binds both.',
      'Kim gave Putin art.',
      'The art was a bust.',
    ]);
    // A title before a name, and "c." (circa) before a year, as WikiQA's pages and news write them; "c." before a
    // capital still ends a sentence (a lone capital is an initial).
    expect(
      sentencesOf(
        'It stars Montgomery Clift as Fr. Michael Logan. The Rev. Al Sharpton spoke. Justinian I (c. 482 – 14 November 565) ruled. Tap the key marked c. Then wait.',
      ),
    ).toEqual([
      'It stars Montgomery Clift as Fr. Michael Logan.',
      'The Rev. Al Sharpton spoke.',
      'Justinian I (c. 482 – 14 November 565) ruled.',
      'Tap the key marked c.',
      'Then wait.',
    ]);
  });

  it('keeps a closing quote with its sentence and does not split a quote followed by its attribution', () => {
    const text = 'Kim said ties had risen "to a new high of alliance." Putin agreed. "Is it over?" he asked. "Yes!" She left.';
    expect(sentencesOf(text)).toEqual([
      'Kim said ties had risen "to a new high of alliance."',
      'Putin agreed.',
      '"Is it over?" he asked.',
      '"Yes!"',
      'She left.',
    ]);
  });

  it('treats a paragraph break as a boundary even without punctuation', () => {
    expect(sentencesOf('Red carpet\n\nPutin arrived before dawn.')).toEqual(['Red carpet', 'Putin arrived before dawn.']);
  });

  it('covers each seed article exactly: spans in order, trimmed, nothing but whitespace between them', async () => {
    const { articles } = await loadCorpus(CORPUS);
    for (const article of articles) {
      const spans = splitSentences(article.text);
      let previousEnd = 0;
      for (const span of spans) {
        expect(article.text.slice(previousEnd, span.start).trim()).toBe('');
        expect(article.text.slice(span.start, span.end)).toBe(article.text.slice(span.start, span.end).trim());
        previousEnd = span.end;
      }
      expect(article.text.slice(previousEnd).trim()).toBe('');
      expect(sentencesOf(article.text)).toContain(
        article.text.includes('210,000')
          ? "South Korea's defence ministry estimated at the end of February this year that since that meeting, North Korea has sent about 210,000 cubic centimetres of ammunition to Russia."
          : 'Putin gifted Kim a luxury car by Russian carmaker Aurus, and took him for a drive, according to state-run RIA Novosti news agency.',
      );
    }
  });
});

describe('chunkSentences with the model tokenizer', () => {
  it('puts every sentence in a chunk, keeps spans exact, respects the budget and overlaps by one sentence', async () => {
    const embedder = await testEmbedder();
    const { articles } = await loadCorpus(CORPUS);
    for (const article of articles) {
      const spans = splitSentences(article.text);
      const counts = embedder.countTokens(spans.map((s) => article.text.slice(s.start, s.end)));
      const settings = { maxTokens: 128, overlapSentences: 1 };
      const chunks = chunkSentences(spans, counts, settings);
      const covered = new Set<number>();
      chunks.forEach((chunk, i) => {
        for (let s = chunk.firstSentence; s < chunk.endSentence; s++) covered.add(s);
        expect(chunk.start).toBe(spans[chunk.firstSentence]!.start);
        expect(chunk.end).toBe(spans[chunk.endSentence - 1]!.end);
        const tokens = counts.slice(chunk.firstSentence, chunk.endSentence).reduce((a, b) => a + b, 0);
        if (chunk.endSentence - chunk.firstSentence > 1) expect(tokens).toBeLessThanOrEqual(settings.maxTokens);
        expect(embedder.countTokens([article.text.slice(chunk.start, chunk.end)])[0]).toBe(tokens);
        if (i > 0) expect(chunk.firstSentence).toBe(chunks[i - 1]!.endSentence - 1);
      });
      expect(covered.size).toBe(spans.length);
      expect(chunks.length).toBeGreaterThan(1);
    }
  });

  it('gives an over-long sentence a chunk of its own and always makes progress', () => {
    const spans = [0, 1, 2, 3].map((i) => ({ start: i * 10, end: i * 10 + 9 }));
    const chunks = chunkSentences(spans, [50, 500, 50, 50], { maxTokens: 120, overlapSentences: 1 });
    expect(chunks.map((c) => [c.firstSentence, c.endSentence])).toEqual([
      [0, 1],
      [1, 2],
      [2, 4],
    ]);
  });
});
