// How questions typed in chat are read as meant: real WordNet, vocabularies built from real text.
import { describe, expect, it } from 'vitest';
import { readQuestion } from '../src/question/reading.js';
import { buildVocabulary, editDistance, parseWordTallies, tallyWords, vocabularyFrom } from '../src/question/vocabulary.js';
import { thesaurus } from '../src/retrieve/thesaurus.js';

const articles = [
  'North Korea and Russia signed a treaty. North Korea sent troops, South Korea said. Zelensky said North Korea sent 11,000 troops.',
  'The Federation Council ratified it. President Putin met Kim in Pyongyang, and North Korean media reported the visit.',
];
const vocabulary = buildVocabulary(articles);
const read = (q: string) => readQuestion(q, vocabulary, (w) => thesaurus().isWord(w)).readAs;

describe('reading a question as meant', () => {
  it('restores apostrophes, expands shorthand and the initials of names the articles use, fixes typos of their words', () => {
    expect(read('whats the treaty')).toBe("what's the treaty");
    expect(read('wen did u see it rn')).toBe('when did you see it right now');
    expect(read('how many troops did nk send')).toBe('how many troops did North Korea send');
    expect(read('is russia gonna help nk')).toBe('is russia going to help North Korea');
    expect(read('what did putin n kim sign')).toBe('what did putin and kim sign');
    expect(read('what did n korea send')).toBe('what did North korea send');
    expect(read('what did zelenksy say')).toBe('what did zelensky say');
  });

  it('changes nothing the articles or the dictionary know, nor a time of day', () => {
    expect(read('What did Putin say?')).toBeNull();
    expect(read('the vote at 5 pm')).toBeNull();
    expect(read('did the US send troops')).toBeNull(); // capitalised: a name, not shorthand
  });

  it('reads the same from tallies stored per segment (as the index keeps them) as from the texts at once', () => {
    const stored = articles.map((text) => parseWordTallies(JSON.stringify(tallyWords([text]))));
    const merged = vocabularyFrom(stored);
    for (const word of ['north', 'korea', 'troops', 'putin', 'zelensky', 'nothing', 'constructor'])
      expect([merged.count(word), merged.capitalShare(word)]).toEqual([vocabulary.count(word), vocabulary.capitalShare(word)]);
    expect(merged.count('korea')).toBe(4);
    expect(merged.expand('nk')).toBe('North Korea');
    expect(merged.near('zelenksy', 2)).toEqual(vocabulary.near('zelenksy', 2));
    expect(() => parseWordTallies('[1, 2]')).toThrow(/not word tallies/);
  });

  it('measures edits with a swap as one edit and stops past the limit', () => {
    expect(editDistance('zelenksy', 'zelensky', 2)).toBe(1);
    expect(editDistance('putin', 'pushkin', 1)).toBe(2);
  });
});
