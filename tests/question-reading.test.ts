// How questions typed in chat are read, and what they ask about: real WordNet, vocabularies built from real text.
import { describe, expect, it } from 'vitest';
import { questionFocus } from '../src/question/focus.js';
import { readQuestion } from '../src/question/reading.js';
import { buildVocabulary, editDistance } from '../src/question/vocabulary.js';
import { thesaurus } from '../src/retrieve/thesaurus.js';
import { terms } from '../src/store/lexical.js';
import { expectedAnswerType, holdsAnswerType } from '../src/question/answer-type.js';
import { askedInPresent, speechVerb } from '../src/question/analyse.js';

const articles = [
  'North Korea and Russia signed a treaty. North Korea sent troops, South Korea said. Zelensky said North Korea sent 11,000 troops.',
  'The Federation Council ratified it. President Putin met Kim in Pyongyang, and North Korean media reported the visit.',
];
const vocabulary = buildVocabulary(articles);
const read = (q: string) => readQuestion(q, vocabulary, (w) => thesaurus().isWord(w)).readAs;
const focusOf = (q: string) => questionFocus(q.toLowerCase().match(/[\p{L}\p{N}-]+/gu)!, (w) => thesaurus().partsOfSpeech(w));

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

  it('measures edits with a swap as one edit and stops past the limit', () => {
    expect(editDistance('zelenksy', 'zelensky', 2)).toBe(1);
    expect(editDistance('putin', 'pushkin', 1)).toBe(2);
  });
});

describe('what a question asks about', () => {
  it('finds the degree, the counted thing and its verb, and the category asked for', () => {
    expect(focusOf('how tall is kim jong un')).toEqual({ words: [{ word: 'tall', pos: 'adj', category: false }], metByNumber: true });
    expect(focusOf('how many north korean soldiers died in kursk')?.words.map((w) => w.word)).toEqual(['soldiers', 'died']);
    expect(focusOf('how many times did kim hug him')).toEqual({ words: [], metByNumber: true });
    expect(focusOf('what colour was the aurus')?.words[0]).toMatchObject({ word: 'colour', category: true });
    expect(focusOf('what kind of vehicle did he give')?.words[0]?.word).toBe('vehicle');
    expect(focusOf('which think tank does she work for')?.words[0]?.word).toBe('think tank');
    expect(focusOf('what did lavrov say about the clause')).toBeNull();
    expect(focusOf('what causes the northern lights')).toBeNull();
    expect(focusOf('what was special about the visit')).toBeNull();
  });

  it('knows which answer type a question wants, from its grammar and the dictionary, not from a list of nouns', () => {
    expect(expectedAnswerType('how old is putin', thesaurus())).toBe('number');
    expect(expectedAnswerType('which professor said that', thesaurus())).toBe('name');
    expect(expectedAnswerType('which city did he visit', thesaurus())).toBe('place');
    expect(expectedAnswerType('what has the war brought', thesaurus())).toBeNull();
    expect(expectedAnswerType('how did russia justify it', thesaurus())).toBeNull();
    // "How long" wants an amount of time; the gate still asks only for a number.
    expect(expectedAnswerType('how long did the two leaders talk', thesaurus())).toBe('duration');
    expect(holdsAnswerType('duration', 'Putin and Kim concluded one-on-one talks that lasted about two hours.', 'how long')).toBe(true);
    expect(holdsAnswerType('duration', 'This marks his first trip in 24 years.', 'how long')).toBe(true);
    expect(holdsAnswerType('duration', 'Talks are to be held in two rounds.', 'how long')).toBe(false);
    // A dateline's abbreviated month with its day is a date; the abbreviation alone is not.
    expect(holdsAnswerType('date', 'BEIJING. Dec 5 (Interfax) - The treaty has entered into force.', 'when did it take effect')).toBe(true);
    expect(holdsAnswerType('date', 'The treaty took effect on Sept. 12, officials said.', 'when did it take effect')).toBe(true);
    expect(holdsAnswerType('date', 'Jan Novak, a Czech diplomat, praised the treaty.', 'when did it take effect')).toBe(false);
  });

  it('knows a question about what someone said, from the verb of saying or thinking after its subject', () => {
    const words = (q: string) => q.split(' ');
    expect(speechVerb(words('what did lavrov say about the defence clause'))).toEqual(terms('say'));
    expect(speechVerb(words('what does nato think russia is giving'))).toEqual(terms('think'));
    expect(speechVerb(words('did putin warn seoul'))).toEqual(terms('warn'));
    expect(speechVerb(words('what did kim give putin'))).toBeNull();
    expect(speechVerb(words('which church did they visit'))).toBeNull();
    // The question's verb is the first one after the subject: "state" here is a noun.
    expect(speechVerb(words('what did Putin eat at the state banquet'))).toBeNull();
    expect(speechVerb(words('what did the White House say'))).toEqual(terms('say'));
    expect(thesaurus().isSpeechVerb('told')).toBe(true);
    expect(thesaurus().isSpeechVerb('hailed')).toBe(true);
    expect(thesaurus().isSpeechVerb('visited')).toBe(false);
  });

  it('knows a question about the current state: said so, or asked in the present perfect, and of no month', () => {
    const words = (q: string) => q.split(' ');
    expect(askedInPresent(words('is the treaty in force yet'))).toBe(true);
    expect(askedInPresent(words('has the treaty been ratified'))).toBe(true);
    expect(askedInPresent(words('whats the latest on the troops'))).toBe(true);
    expect(askedInPresent(words('when did kim ratify it'))).toBe(false);
    expect(askedInPresent(words('who signed the treaty'))).toBe(false);
    expect(askedInPresent(words('what is the status in november'))).toBe(false);
  });
});
