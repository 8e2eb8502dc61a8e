// Question in, answer object out: embed → retrieve (dense + lexical) → choose sentences → cite.
import type { AnswerConfig } from '../config.js';
import type { Embedder } from '../embed/embedder.js';
import { candidateChunks, denseSearch, fuse, type RetrievalMode } from '../retrieve/search.js';
import type { LoadedIndex } from '../store/types.js';
import { analyseQuestion } from '../question/analyse.js';
import { deriveFloor, FALLBACK_FLOOR, storedFloor } from './floor.js';
import { scoreSentences, selectQuotes } from './quotes.js';
import type { Answer, Excerpt, SourceRef, Timings } from './types.js';

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES_PER_RETRIEVER = 20;

/** An answer whose confidence is less than this above the floor is flagged as low confidence. */
const LOW_CONFIDENCE_MARGIN = 0.08;

export interface AnswerEngine {
  embedder: Embedder;
  /** Read on every question, so a reloaded index takes effect on the next one. */
  index(): LoadedIndex;
  config: AnswerConfig;
}

export { normalizeQuestion } from '../question/normalize.js';

export async function ask(engine: AnswerEngine, rawQuestion: string, mode: RetrievalMode = 'hybrid'): Promise<Answer> {
  const started = performance.now();
  const index = engine.index();
  const floor = await answerFloor(engine);
  const analysed = analyseQuestion(rawQuestion, engine.config.maxQuestionChars, index);
  const question = analysed.asked;
  const timings: Timings = { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 };
  const finish = (answer: Omit<Answer, 'question' | 'readAs' | 'lowConfidence' | 'timings'>): Answer => {
    timings.totalMs = performance.now() - started;
    return { question, readAs: analysed.readAs, ...answer, lowConfidence: answer.answered && answer.confidence < floor + LOW_CONFIDENCE_MARGIN, timings };
  };

  if (!/[\p{L}\p{N}]/u.test(question)) {
    return finish({
      answered: false,
      status: 'empty-question',
      message: `Ask me something about ${storyName(index)}, for example: "What did Putin and Kim sign?"`,
      excerpts: [],
      sources: [],
      confidence: 0,
      suggestions: suggestions(index),
    });
  }

  let t = performance.now();
  const queryVector = await engine.embedder.embedQuery(analysed.text);
  timings.embedMs = performance.now() - t;

  t = performance.now();
  const dense = mode === 'lexical' ? [] : denseSearch(index, queryVector, CANDIDATES_PER_RETRIEVER);
  timings.denseMs = performance.now() - t;
  t = performance.now();
  const lexical = mode === 'dense' ? [] : index.lexical.search(analysed.text, CANDIDATES_PER_RETRIEVER, analysed.terms.expansions);
  timings.lexicalMs = performance.now() - t;

  t = performance.now();
  const candidates = candidateChunks(fuse(dense, lexical, mode), dense, lexical);
  const ranked = scoreSentences(index, candidates, analysed, queryVector);
  const confidence = round(Math.max(0, ...ranked.slice(0, engine.config.maxExcerpts).map((s) => s.relevance)));
  const spans = selectQuotes(index, ranked, engine.config.maxExcerpts, floor, analysed.speech !== null);
  timings.quotesMs = performance.now() - t;

  if (!spans.length) {
    return finish({
      answered: false,
      status: 'not-covered',
      message: `The articles don't say. I can only answer from ${storyName(index)}.`,
      excerpts: [],
      sources: [],
      confidence,
      suggestions: suggestions(index),
    });
  }

  // Sources are numbered in order of first use; only quoted articles are cited.
  const sources: SourceRef[] = [];
  const numberOf = new Map<number, number>();
  const cite = (articleIndex: number): number => {
    let n = numberOf.get(articleIndex);
    if (n === undefined) {
      const article = index.articles[articleIndex]!;
      n = sources.length + 1;
      numberOf.set(articleIndex, n);
      const { title, publisher, date, url, authors } = article.meta;
      sources.push({ n, title, publisher, date, url, authors, file: article.file });
    }
    return n;
  };
  const excerpts: Excerpt[] = spans.map((span) => {
    const n = cite(span.article);
    const text = index.articles[span.article]!.text;
    return {
      quote: text.slice(span.start, span.end),
      source: n,
      alsoIn: span.alsoIn.map(cite),
      score: round(span.score),
      start: span.start,
      end: span.end,
      trimmedStart: span.trimmedStart,
      trimmedEnd: span.trimmedEnd,
    };
  });
  return finish({ answered: true, status: 'answered', message: null, excerpts, sources, confidence, suggestions: [] });
}

const derivedFloors = new WeakMap<LoadedIndex, Promise<number>>();

/**
 * ANSWER_MIN_SCORE when set, else the floor derived for the index's model and corpus when it was built (an index
 * built before floors were derived gets it derived once, in memory: the same questions give the same floor).
 */
export async function answerFloor(engine: AnswerEngine): Promise<number> {
  if (engine.config.minScore !== null) return engine.config.minScore;
  const index = engine.index();
  const stored = storedFloor(index.manifest);
  if (stored) return stored.value;
  let floor = derivedFloors.get(index);
  if (!floor) {
    floor = deriveFloor(engine).then(
      (f) => f.value,
      () => FALLBACK_FLOOR,
    );
    derivedFloors.set(index, floor);
  }
  return floor;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function storyName(index: LoadedIndex): string {
  return index.articles.length === 1 ? `the article "${index.articles[0]!.meta.title}"` : `the ${index.articles.length} articles I have`;
}

function suggestions(index: LoadedIndex): string[] {
  return index.articles.slice(0, 3).map((a) => a.meta.title);
}
