// Hostile and odd input through the real answer pipeline and the Discord renderer, as property tests
// (fast-check, seeded and bounded): questions and articles with decomposed accents, emoji, bidi and zero-width
// controls, markdown, mentions and bare URLs. Every message must pass messageViolations; every quote is exact.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import type { Answer, Excerpt, SourceRef } from '../src/answer/types.js';
import { withoutMarkup } from '../src/discord/replies.js';
import { renderAnswerForDiscord, renderSourceList } from '../src/render/discord.js';
import { copyCorpus, tempDir, indexedEngine } from './helpers.js';
import { DECOMPOSED, EMOJI, HOSTILE_ARTICLE, hostileText, INVISIBLE_ARTICLE, INVISIBLES, messageViolations } from './support/hostile.js';

/** Fixed seeds: a failure reproduces; fast-check prints the seed and path of any counterexample. */
const SEED = 14;

let engine: AnswerEngine;
let work: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir();
  const corpusDir = await copyCorpus(path.join(work.dir, 'corpus'));
  await writeFile(path.join(corpusDir, 'hostile.md'), HOSTILE_ARTICLE);
  await writeFile(path.join(corpusDir, 'invisible.md'), INVISIBLE_ARTICLE);
  ({ engine } = await indexedEngine(corpusDir, work.dir));
});
afterAll(() => work.cleanup());

function expectExactQuotes(answer: Answer): void {
  const index = engine.index();
  for (const excerpt of answer.excerpts) {
    const source = answer.sources.find((s) => s.n === excerpt.source)!;
    expect(index.articles.find((a) => a.file === source.file)!.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
  }
}

/** The reply in each way of asking: /ask and the context menu head it with the question; mentions and DMs do not. */
function expectInertReplies(asked: string, answer: Answer): void {
  for (const content of [renderAnswerForDiscord(answer, { heading: asked }), renderAnswerForDiscord(answer)]) {
    expect(messageViolations(content), content).toEqual([]);
  }
}

describe('fuzzing the answer pipeline and the Discord renderer', () => {
  it('answers 1,000 hostile questions: no exception, quotes exact, every reply inert and within limits', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, async (asked) => {
        const answer = await ask(engine, withoutMarkup(asked));
        expect(Array.from(answer.question).length).toBeLessThanOrEqual(engine.config.maxQuestionChars);
        expectExactQuotes(answer);
        expectInertReplies(asked, answer);
        if (answer.answered) answered++;
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // Most hostile questions still carry story words: the answer path is exercised, not just the decline.
    expect(answered).toBeGreaterThan(100);
  });

  it('quotes articles full of invisible controls, emoji and links exactly, and shows them inert', async () => {
    for (const asked of ['Who opened the zeppelin hangar at Wonsan?', "Who painted the hangar's airship?", 'When was the zeppelin mooring mast finished?']) {
      const answer = await ask(engine, asked);
      expect(answer.answered, asked).toBe(true);
      expect(
        answer.sources.some((s) => s.url === 'https://hostile.example/zeppelin'),
        asked,
      ).toBe(true);
      expectExactQuotes(answer);
      expectInertReplies(asked, answer);
      const content = renderAnswerForDiscord(answer);
      expect(content).not.toContain('too long to show here');
      // The 2,000-character publisher is cut, at a grapheme, and the article is cited.
      expect(content).toMatch(
        /\[\d\] \[Zeppelin hangar 🇰🇵 report (👨‍👩‍👧‍👦)+…\]\(<https:\/\/hostile\.example\/zeppelin#:~:text=[^>]+>\) — Hangar Gazette (😀 Wonsan )+/u,
      );
    }
    const opened = await ask(engine, 'Who opened the zeppelin hangar at Wonsan?');
    expect(renderAnswerForDiscord(opened)).toContain('<https://hostile.example/hangar_open*1>');
    const sources = renderSourceList(engine.index().articles.map((a) => a.meta));
    expect(messageViolations(sources)).toEqual([]);
    expect(sources).toContain('Hangar Gazette');
  });

  it('quotes a hostile article verbatim in the answer object but renders it inert on Discord', async () => {
    const answer = await ask(engine, 'Who discussed the treaty between Putin and Kim at the Pyongyang meeting?');
    const hostile = answer.excerpts.find((e) => e.quote.includes('@everyone'));
    expect(hostile, 'the hostile sentence should be quoted').toBeDefined();
    const content = renderAnswerForDiscord(answer);
    expect(messageViolations(content)).toEqual([]);
    expect(content).toContain('\\<@123456789012345678>');
    expect(content).toContain('\\|\\|Pyongyang\\|\\|');
  });

  it('renders 3,000 made-up answers of hostile quotes and metadata inert, every source cited', () => {
    const source = fc.record({
      title: hostileText,
      publisher: fc.option(hostileText),
      date: fc.option(fc.constant('2024-06-19')),
      url: fc.option(
        fc.constantFrom(
          'https://example.com/a',
          'https://example.com/a_(b)',
          'http://x.example/?q=1&r=2',
          'javascript:alert(1)',
          `https://e.example/${'p'.repeat(600)}`,
        ),
      ),
    });
    const answerArb = fc.record({
      quotes: fc.array(fc.tuple(hostileText, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 4 }),
      sources: fc.array(source, { minLength: 1, maxLength: 4 }),
      answered: fc.boolean(),
      message: fc.option(hostileText),
      suggestions: fc.array(hostileText, { maxLength: 3 }),
      lowConfidence: fc.boolean(),
      readAs: fc.option(hostileText),
      heading: fc.option(hostileText),
    });
    fc.assert(
      fc.property(answerArb, (a) => {
        const sources: SourceRef[] = a.sources.map((s, i) => ({ ...s, n: i + 1, authors: [], file: `f${i}.md` }));
        const excerpts: Excerpt[] = a.quotes
          .filter(([quote]) => quote.trim())
          .map(([quote, trimmedStart, trimmedEnd], i) => ({
            quote,
            source: (i % sources.length) + 1,
            alsoIn: i % 2 ? [] : [((i + 1) % sources.length) + 1],
            score: 0.5,
            start: 0,
            end: quote.length,
            trimmedStart,
            trimmedEnd,
          }));
        const answered = a.answered && excerpts.length > 0;
        const answer = {
          question: 'q',
          answered,
          status: answered ? 'answered' : 'not-covered',
          message: answered ? null : a.message,
          excerpts: answered ? excerpts : [],
          sources: answered ? sources : [],
          confidence: 0.5,
          suggestions: a.suggestions,
          timings: { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 },
          lowConfidence: a.lowConfidence,
          readAs: a.readAs,
        } satisfies Answer & { lowConfidence: boolean; readAs: string | null };
        const content = renderAnswerForDiscord(answer, a.heading === null ? {} : { heading: a.heading });
        expect(messageViolations(content), content).toEqual([]);
        // Metadata never makes an answer uncitable: some quote and its source line always fit.
        if (answered) expect(content, content).toMatch(/\*\*Sources\*\*\n\[\d+\] /);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('cuts quotes, titles and publishers between characters: an emoji or accent at every cut position', () => {
    const words = 'The treaty was signed in Pyongyang by both leaders after a long meeting '.repeat(40);
    const marks = [...EMOJI, ...DECOMPOSED, ...INVISIBLES];
    const source = (title: string, publisher: string): SourceRef => ({
      n: 1,
      title,
      publisher,
      date: '2024-06-19',
      url: 'https://example.com/a',
      authors: [],
      file: 'a.md',
    });
    let renders = 0;
    for (let at = 0; at < 2100; at++) {
      const mark = marks[at % marks.length]!;
      const quote = `${words.slice(0, at)}${mark}${words.slice(at)}`.slice(0, 2100);
      const short = `${words.slice(0, at % 260)}${mark}${words.slice(at % 260)}`.slice(0, 300);
      const answer: Answer = {
        question: 'q',
        answered: true,
        status: 'answered',
        message: null,
        excerpts: [{ quote, source: 1, alsoIn: [], score: 1, start: 0, end: quote.length, trimmedStart: false, trimmedEnd: true }],
        sources: [source(short, short)],
        confidence: 1,
        suggestions: [],
        // The reading of a follow-up and the low-confidence line are rendered from hostile text too.
        lowConfidence: at % 2 === 0,
        readAs: at % 3 ? short : null,
        timings: { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 },
      };
      for (const content of [renderAnswerForDiscord(answer, { heading: short }), renderSourceList([source(short, short)])]) {
        expect(messageViolations(content), `${at}: ${content}`).toEqual([]);
        renders++;
      }
    }
    expect(renders).toBe(4200);
  });
});
