// The learned answer scorer: the shipped models/answer-scorer.json as loaded and checked, its calibrated confidence,
// and the answer path on a real index of corpus/ (built in a temporary folder with the real test model).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, gatherCandidates, type AnswerEngine } from '../src/answer/ask.js';
import { candidateFeatures, FEATURES } from '../src/answer/features.js';
import { PairModel } from '../src/answer/pair-model.js';
import { isQuotable, scoreSentences } from '../src/answer/quotes.js';
import { AnswerScorer, answerScorer, DEFAULT_SCORER_FILE } from '../src/answer/scorer.js';
import { DEFAULT_SECOND_LOOK_FILE, SECOND_LOOK_FEATURES, SecondLook, secondLook } from '../src/answer/second-look.js';
import { DEFAULT_WORD_VECTORS_FILE, WordVectors } from '../src/answer/word-vectors.js';
import { analyseQuestion } from '../src/question/analyse.js';
import { copyCorpus, tempDir, indexedEngine } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
beforeAll(async () => {
  work = await tempDir();
  ({ engine } = await indexedEngine(await copyCorpus(path.join(work.dir, 'corpus')), work.dir));
});
afterAll(() => work.cleanup());

describe('the shipped answer scorer (models/answer-scorer.json)', () => {
  it('loads, names the features this code computes in their order, and declines below a probability', async () => {
    const scorer = AnswerScorer.load();
    const shipped = JSON.parse(await readFile(DEFAULT_SCORER_FILE, 'utf8')) as { features: string[] };
    expect(shipped.features).toEqual([...FEATURES]);
    expect(scorer.declineBelow).toBeGreaterThan(0);
    expect(scorer.declineBelow).toBeLessThan(1);
    expect(answerScorer().declineBelow).toBe(scorer.declineBelow);
  });

  it('turns log-odds into a probability that grows with them', () => {
    const scorer = AnswerScorer.load();
    const logits = Array.from({ length: 201 }, (_, i) => -20 + i * 0.2);
    const chances = logits.map((l) => scorer.confidence(l));
    for (const p of chances) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    for (let i = 1; i < chances.length; i++) expect(chances[i]!).toBeGreaterThanOrEqual(chances[i - 1]!);
    // It spans the range: sure answers near 1, hopeless ones near 0, the decline threshold in between.
    expect(chances[0]!).toBeLessThan(0.01);
    expect(chances[chances.length - 1]!).toBeGreaterThan(0.99);
    expect(scorer.confidence(-1e6)).toBeGreaterThanOrEqual(0);
    expect(scorer.confidence(1e6)).toBeLessThanOrEqual(1);
  });

  it('refuses a damaged or mismatched scorer file and says how to rebuild it', async () => {
    const shipped = JSON.parse(await readFile(DEFAULT_SCORER_FILE, 'utf8')) as { features: string[] };
    const cases: Record<string, string> = {
      'not-json.json': '{"format": 1, "kind": "trees", ',
      'fewer-features.json': JSON.stringify({ ...shipped, features: shipped.features.slice(0, -1) }),
      'swapped-features.json': JSON.stringify({ ...shipped, features: [shipped.features[1], shipped.features[0], ...shipped.features.slice(2)] }),
      'no-trees.json': JSON.stringify({ ...shipped, trees: undefined }),
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = path.join(work.dir, name);
      await writeFile(file, text);
      expect(() => AnswerScorer.load(file), name).toThrow(/Rebuild it with /);
      expect(() => AnswerScorer.load(file), name).toThrow(file);
    }
    expect(() => AnswerScorer.load(path.join(work.dir, 'missing.json'))).toThrow(/Cannot read the answer scorer .*Rebuild it with /);
  });
});

describe('the shipped second look (models/answer-second-look.json)', () => {
  it('loads; its pair model reproduces the log-odds PyTorch computed for the pairs the file carries', async () => {
    const shipped = JSON.parse(await readFile(DEFAULT_SECOND_LOOK_FILE, 'utf8')) as {
      pair: ConstructorParameters<typeof PairModel>[0];
      scorer: { features: string[] };
    };
    expect(shipped.scorer.features).toEqual([...SECOND_LOOK_FEATURES]);
    const pair = new PairModel(shipped.pair);
    expect(shipped.pair.checks.length).toBeGreaterThanOrEqual(4);
    for (const check of shipped.pair.checks) expect(pair.logits(check.question, [check.sentence])[0]).toBeCloseTo(check.logit, 3);
    expect(SecondLook.load().top).toBeGreaterThan(1);
  });

  it("aligns the question's words with the sentence's: a sentence that answers outscores one on another subject", () => {
    const [answering, unrelated] = secondLook().pair.logits('When did Putin land in Pyongyang?', [
      'Putin arrived in Pyongyang early on Wednesday.',
      'Bananas are a good source of potassium and fibre.',
    ]);
    expect(answering!).toBeGreaterThan(unrelated! + 1);
  });

  it('refuses a damaged or mismatched file and says how to rebuild it', async () => {
    const shipped = JSON.parse(await readFile(DEFAULT_SECOND_LOOK_FILE, 'utf8')) as {
      pair: { weights: Record<string, number[][]> };
      scorer: { features: string[] };
    };
    const cases: Record<string, string> = {
      'not-json.json': '{"format": 1, "top": 8, ',
      'no-top.json': JSON.stringify({ ...shipped, top: 0 }),
      'pair-too-narrow.json': JSON.stringify({
        ...shipped,
        pair: { ...shipped.pair, weights: { ...shipped.pair.weights, 'inp.weight': shipped.pair.weights['inp.weight']!.map((row) => row.slice(1)) } },
      }),
      'first-look-features.json': JSON.stringify({ ...shipped, scorer: { ...shipped.scorer, features: shipped.scorer.features.slice(0, -2) } }),
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = path.join(work.dir, name);
      await writeFile(file, text);
      expect(() => SecondLook.load(file), name).toThrow(/Rebuild it with /);
      expect(() => SecondLook.load(file), name).toThrow(file);
    }
  });
});

describe('the shipped word vectors (models/word-vectors.bin)', () => {
  it('place related words closer than unrelated ones, and know no word outside their list', () => {
    const vectors = WordVectors.load();
    const cosine = (a: string, b: string) => vectors.cosine(vectors.row(a), vectors.row(b));
    expect(vectors.row('treaty')).toBeGreaterThanOrEqual(0);
    expect(vectors.row('zzzqx')).toBe(-1);
    expect(cosine('treaty', 'treaty')).toBeCloseTo(1, 2);
    expect(cosine('soldiers', 'troops')).toBeGreaterThan(cosine('soldiers', 'banana') + 0.3);
    expect(cosine('treaty', 'pact')).toBeGreaterThan(cosine('treaty', 'limousine'));
  });

  it('refuses a damaged file and says how to rebuild it', async () => {
    const bytes = await readFile(DEFAULT_WORD_VECTORS_FILE);
    const cases: Record<string, Buffer> = {
      'truncated.bin': bytes.subarray(0, bytes.length - 100),
      'not-vectors.bin': Buffer.from('hello'),
    };
    for (const [name, content] of Object.entries(cases)) {
      const file = path.join(work.dir, name);
      await writeFile(file, content);
      expect(() => WordVectors.load(file), name).toThrow(/Cannot read the word vectors .*Rebuild them/);
    }
  });
});

describe('scoring the sentences of a real index (corpus/)', () => {
  it('computes one finite row of every feature for each sentence of the candidate chunks', async () => {
    const index = engine.index();
    const analysed = analyseQuestion('When did Putin land in North Korea?', engine.config.maxQuestionChars, index);
    const gathered = await gatherCandidates(engine, analysed, 'hybrid');
    expect(gathered.candidates.length).toBeGreaterThan(0);
    const rows = candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks);
    const expected = new Set(
      gathered.candidates.flatMap((c) => {
        const chunk = index.chunks[c.chunk]!;
        return Array.from({ length: chunk.endSentence - chunk.firstSentence }, (_, i) => `${chunk.article}:${chunk.firstSentence + i}`);
      }),
    );
    expect(new Set(rows.map((r) => `${r.article}:${r.sentence}`))).toEqual(expected);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      expect(row.features).toHaveLength(FEATURES.length);
      expect([...row.features].every(Number.isFinite)).toBe(true);
    }
  });

  it('marks a negated question, and each sentence that negates, though the terms drop "not" as a stopword', async () => {
    const index = engine.index();
    const featuresOf = async (question: string) => {
      const analysed = analyseQuestion(question, engine.config.maxQuestionChars, index);
      const gathered = await gatherCandidates(engine, analysed, 'hybrid');
      return candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks);
    };
    const column = (name: (typeof FEATURES)[number]) => FEATURES.indexOf(name);
    const plain = await featuresOf('What did Putin sign in Pyongyang?');
    const negated = await featuresOf("What didn't Putin sign in Pyongyang?");
    expect(plain.every((row) => row.features[column('q_negated')] === 0)).toBe(true);
    expect(negated.every((row) => row.features[column('q_negated')] === 1)).toBe(true);
    for (const row of plain) {
      const span = index.articles[row.article]!.sentences[row.sentence]!;
      const text = index.articles[row.article]!.text.slice(span.start, span.end);
      expect(row.features[column('s_negated')], text).toBe(/\b(not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b|n['’]t\b/i.test(text) ? 1 : 0);
    }
    expect(new Set(plain.map((row) => row.features[column('s_negated')])).size, 'the corpus has sentences of both kinds').toBe(2);
  });

  it('marks a sentence that lacks a word of the question but holds its antonym ("last" asked, "first" said), never in a name', async () => {
    const index = engine.index();
    const rowsFor = async (question: string) => {
      const analysed = analyseQuestion(question, engine.config.maxQuestionChars, index);
      const gathered = await gatherCandidates(engine, analysed, 'hybrid');
      return candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks).map((row) => {
        const span = index.articles[row.article]!.sentences[row.sentence]!;
        return { text: index.articles[row.article]!.text.slice(span.start, span.end), antonym: row.features[FEATURES.indexOf('antonym')] };
      });
    };
    const opposed = await rowsFor("When was Putin's last visit to North Korea?");
    for (const row of opposed) expect(row.antonym, row.text).toBe(/\bfirst\b/i.test(row.text) && !/\blast\b/i.test(row.text) ? 1 : 0);
    expect(new Set(opposed.map((row) => row.antonym)).size, 'the corpus has sentences of both kinds').toBe(2);
    // "South Korea" is a name: the sentences saying "North Korea" do not contradict it.
    const named = await rowsFor('What did South Korea say about the treaty?');
    expect(named.some((row) => /\bnorth\b/i.test(row.text) && !/\bsouth\b/i.test(row.text))).toBe(true);
    expect(named.every((row) => row.antonym === 0)).toBe(true);
  });

  it('answers a question the articles answer, its confidence the calibrated chance of its best sentence', async () => {
    const question = 'When did Putin land in North Korea?';
    const answer = await ask(engine, question);
    expect(answer.status).toBe('answered');
    expect(answer.excerpts[0]!.quote).toContain('landed in North Korea on Tuesday');
    // The same sentences, scored here by hand: the first quote holds the best one, whose chance is the confidence.
    const index = engine.index();
    const analysed = analyseQuestion(question, engine.config.maxQuestionChars, index);
    const gathered = await gatherCandidates(engine, analysed, 'hybrid');
    const first = answer.excerpts[0]!;
    const article = index.articles.findIndex((a) => a.file === answer.sources.find((s) => s.n === first.source)!.file);
    // First look over every quotable candidate, second look over its best few: the first quote holds the sentence
    // the second look puts first, and the confidence is the first look's calibrated chance for its own best.
    const scorer = answerScorer();
    const second = secondLook();
    const sentenceOf = (row: { article: number; sentence: number }) => {
      const span = index.articles[row.article]!.sentences[row.sentence]!;
      return { span, text: index.articles[row.article]!.text.slice(span.start, span.end) };
    };
    const firstLook = candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks)
      .map((row) => ({ ...row, ...sentenceOf(row), score: scorer.logit(row.features) }))
      .filter((row) => isQuotable(row.text))
      .sort((a, b) => b.score - a.score);
    const logits = second.logits(analysed.text, firstLook);
    expect(logits.length).toBe(Math.min(second.top, firstLook.length));
    const best = firstLook[logits.indexOf(Math.max(...logits))]!;
    expect(best.article).toBe(article);
    expect(best.span.start).toBeGreaterThanOrEqual(first.start);
    expect(best.span.end).toBeLessThanOrEqual(first.end);
    expect(answer.confidence).toBe(Math.round(scorer.confidence(firstLook[0]!.score) * 1000) / 1000);
    expect(answer.confidence).toBeGreaterThanOrEqual(scorer.declineBelow);
  });

  it("the second look only re-orders the first look's best few: every rank keeps its score and confidence", async () => {
    const index = engine.index();
    for (const question of [
      'What did Kim call Putin?',
      'What did Kim call Putin? (12)',
      'what did kim call putin',
      'Who signed the treaty?',
      'how do I bake sourdough bread',
    ]) {
      const analysed = analyseQuestion(question, engine.config.maxQuestionChars, index);
      const gathered = await gatherCandidates(engine, analysed, 'hybrid');
      const rank = (second?: SecondLook) => scoreSentences(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks, answerScorer(), second);
      const firstOnly = rank();
      const both = rank(secondLook());
      const top = secondLook().top;
      expect(
        both.map((s) => [s.score, s.confidence]),
        question,
      ).toEqual(firstOnly.map((s) => [s.score, s.confidence]));
      const key = (s: { article: number; sentence: number }) => `${s.article}:${s.sentence}`;
      expect(both.slice(0, top).map(key).sort(), question).toEqual(firstOnly.slice(0, top).map(key).sort());
      expect(both.slice(top).map(key), question).toEqual(firstOnly.slice(top).map(key));
    }
  });

  it('answers a question typed with chat around it as it answers the question alone; chat alone asks for a question', async () => {
    const quoteAndChance = (answer: Awaited<ReturnType<typeof ask>>) => [answer.status, answer.excerpts[0]?.quote, answer.confidence];
    for (const [plain, chatty] of [
      ['What did Kim call Putin?', 'Hi bot! What did Kim call Putin? lol'],
      ['What did Kim call Putin?', 'quick question: What did Kim call Putin, thx?'],
      ['what did kim call putin', 'hey what did kim call putin lmaooo'],
      ['what did kim call putin', 'heyyy whaaat did kim call putin'],
      ['when did putin land in north korea', 'can u tell me when did putin land in north korea, bro'],
      ['what did putin give kim?', 'i was wondering what did putin give kim? asking for a friend'],
      // Shouted or every word capitalised: read as in lower case, shorthand too; marks typed over and over; "like" as
      // filler; a tag asking to have it confirmed.
      ['what did putin give kim with his car', 'WHAT DID PUTIN GIVE KIM W HIS CAR'],
      ['what did the north korea government say', 'WHAT DID THE NK GOVT SAY'],
      ['did putin meet with kim', 'Did Putin Meet W Kim'],
      ['What did Kim call Putin?', 'What did Kim call Putin???!!'],
      ['what did kim call putin', 'ok so like what did kim call putin'],
      ['What did Kim call Putin?', 'What did Kim call Putin, right?'],
      // A bot command typed as text; a polite preamble of its own sentences.
      ['what did kim call putin', '/ask what did kim call putin'],
      // Fullwidth letters, and letters styled by a font generator, were matched to no word and answered at 0.9.
      ['what did kim call putin', 'ｗｈａｔ ｄｉｄ ｋｉｍ ｃａｌｌ ｐｕｔｉｎ'],
      ['what did kim call putin', '𝐰𝐡𝐚𝐭 𝐝𝐢𝐝 𝐤𝐢𝐦 𝐜𝐚𝐥𝐥 𝐩𝐮𝐭𝐢𝐧'],
      ['What did Kim call Putin?', "Hello! I hope you're doing well. I was wondering if you could help me understand: What did Kim call Putin?"],
      // Capitals at random; a list number, a vague ending, a signed name; asking what the articles say, and for what.
      ['what did the north korea government say', 'WhAT did ThE nK GoVT SAy'],
      ['What did Kim call Putin?', '1) What did Kim call Putin or something? - sarah'],
      ['what did kim call putin', 'according to the articles, what did kim call putin for my essay pls help'],
      ['What did Kim call Putin?', 'any idea What did Kim call Putin? anyone?'],
      ['What did Kim call Putin', 'What did Kim call Putin (sorry for my english) *edit: typo'],
      // A tag after the question mark asks to have it confirmed, not about the story.
      ['what did putin give kim?', 'what did putin give kim? is that true?'],
      ['what did putin give kim?', 'what did putin give kim? what do you think?'],
      // Asking the room after an ellipsis ("any idea?" read alone as a sentence had matched "exchange ideas" at 0.71).
      ['what did putin give kim', 'hmm what did putin give kim... any idea?'],
      // Words run together, chat among them: read apart, then the chat set aside.
      ['what did kim call putin', 'what didkim call putin plshelp'],
    ] as const) {
      const alone = await ask(engine, plain);
      expect(alone.status, plain).toBe('answered');
      expect(quoteAndChance(await ask(engine, chatty)), chatty).toEqual(quoteAndChance(alone));
    }
    for (const chat of ['thanks!', 'hey bot', 'lol']) {
      const answer = await ask(engine, chat);
      expect(answer, chat).toMatchObject({ answered: false, status: 'empty-question', excerpts: [] });
      expect(answer.message).toMatch(/^Ask me something about/);
    }
    // A link pasted with a question is no part of it; a link alone is no question, and is not opened.
    const linked = await ask(engine, 'what did kim call putin https://example.com/kim-putin-summit-2024');
    expect(quoteAndChance(linked)).toEqual(quoteAndChance(await ask(engine, 'what did kim call putin')));
    const link = await ask(engine, 'https://example.com/kim-putin-summit-2024');
    expect(link).toMatchObject({ answered: false, status: 'empty-question', excerpts: [] });
    expect(link.message).toMatch(/^I don't open links sent with a question\. Ask me something about/);
  });

  it('answers a question with statements or another question beside it as it answers the question alone, and says how it read it', async () => {
    for (const [plain, message] of [
      ['What did Kim call Putin?', 'I read about the summit in the news today. What did Kim call Putin?'],
      ['when did putin land in north korea', 'my teacher mentioned this in class. when did putin land in north korea'],
      // A line of its own, without a mark, is a sentence of its own (it had run into the question).
      ['when did putin land in north korea', 'my teacher mentioned this in class\nwhen did putin land in north korea'],
      ['What did Putin give Kim?', "What did Putin give Kim? I couldn't find it anywhere."],
      ['what did putin give kim?', 'newbie here, sorry if this is dumb but what did putin give kim?'],
      // A statement joined by "and" to the chat that asks (the whole message was read, and declined).
      ['what did putin give kim', 'hey so i was reading about the summit and i was wondering what did putin give kim'],
      // Two questions: the one the articles answer is answered, and the reply says which.
      ['What did Kim call Putin?', 'How do I bake sourdough bread? What did Kim call Putin?'],
    ] as const) {
      const alone = await ask(engine, plain);
      const answer = await ask(engine, message);
      expect(alone.status, plain).toBe('answered');
      expect([answer.status, answer.excerpts[0]?.quote, answer.readAs], message).toEqual([alone.status, alone.excerpts[0]?.quote, alone.readAs ?? plain]);
      expect(answer.confidence, message).toBeGreaterThanOrEqual(alone.confidence);
    }
    // A question that points back to a statement before it is read with it, as a follow-up is.
    const filled = await ask(engine, 'Putin went to Pyongyang last June. What did Kim call him?');
    const meant = await ask(engine, 'What did Kim call Putin');
    expect([filled.status, filled.excerpts[0]?.quote, filled.readAs]).toEqual(['answered', meant.excerpts[0]?.quote, 'What did Kim call Putin']);
  });

  it('tells a reader who asks in another script that it reads English, rather than that the articles do not say', async () => {
    for (const question of ['김정은이 푸틴에게 뭐라고 했어?', 'Что подписали Путин и Ким?', '普京和金正恩签了什么？']) {
      const answer = await ask(engine, question);
      expect(answer, question).toMatchObject({ answered: false, status: 'not-covered', excerpts: [] });
      expect(answer.message, question).toMatch(/^I can only read questions in English/);
    }
  });

  it('declines a question the articles do not speak to', async () => {
    const answer = await ask(engine, 'how do I bake sourdough bread');
    expect(answer).toMatchObject({ answered: false, status: 'not-covered', excerpts: [], sources: [] });
    expect(answer.message).toMatch(/^The articles don't say/);
    // Of a message with two questions neither of which is answered, neither is shown as how it was read.
    const two = await ask(engine, 'How do I bake sourdough bread? How tall is the Eiffel Tower?');
    expect(two).toMatchObject({ answered: false, status: 'not-covered', readAs: null });
    expect(answer.confidence).toBeLessThan(answerScorer().declineBelow);
  });
});
