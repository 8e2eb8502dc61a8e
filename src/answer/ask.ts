// Question in, answer object out: embed → retrieve (dense + lexical) → choose sentences → cite.
import type { AnswerConfig } from '../config.js';
import type { Embedder } from '../embed/embedder.js';
import { candidateChunks, denseSearch, fuse, type RetrievalMode } from '../retrieve/search.js';
import type { LoadedIndex } from '../store/types.js';
import { questionTerms } from './question-terms.js';
import { scoreSentences, selectQuotes } from './quotes.js';
import type { Answer, Excerpt, SourceRef, Timings } from './types.js';

/**
 * Answers whose confidence is within this of the floor are flagged `lowConfidence` (a stand-in until the
 * answer-quality work defines the flag; the renderers only read it).
 */
const LOW_CONFIDENCE_BAND = 0.05;

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES_PER_RETRIEVER = 20;

export interface AnswerEngine {
  embedder: Embedder;
  /** Read on every question, so a reloaded index takes effect on the next one. */
  index(): LoadedIndex;
  config: AnswerConfig;
}

/** Control and invisible format characters (zero-width, bidi overrides) carry no meaning for search. */
const INVISIBLE = /[\p{Cc}\p{Cf}]+/gu;

export function normalizeQuestion(raw: string, maxChars: number): string {
  // NFC: a phone's decomposed "o\u0306" and a keyboard's "ŏ" are the same question.
  const clean = raw.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  return chars.length > maxChars ? chars.slice(0, maxChars).join('').trimEnd() : clean;
}

export async function ask(engine: AnswerEngine, rawQuestion: string, mode: RetrievalMode = 'hybrid'): Promise<Answer> {
  const started = performance.now();
  const index = engine.index();
  const question = normalizeQuestion(rawQuestion, engine.config.maxQuestionChars);
  const timings: Timings = { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 };
  const finish = (answer: Omit<Answer, 'question' | 'timings' | 'lowConfidence' | 'readAs'>): Answer => {
    timings.totalMs = performance.now() - started;
    const lowConfidence = answer.answered && answer.confidence < engine.config.minScore + LOW_CONFIDENCE_BAND;
    return { question, ...answer, lowConfidence, readAs: null, timings };
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
  const queryVector = await engine.embedder.embedQuery(question);
  timings.embedMs = performance.now() - t;

  t = performance.now();
  const dense = mode === 'lexical' ? [] : denseSearch(index, queryVector, CANDIDATES_PER_RETRIEVER);
  timings.denseMs = performance.now() - t;
  t = performance.now();
  const asked = questionTerms(question, index.lexical);
  const lexical = mode === 'dense' ? [] : index.lexical.search(question, CANDIDATES_PER_RETRIEVER, asked.expansions);
  timings.lexicalMs = performance.now() - t;

  t = performance.now();
  const candidates = candidateChunks(fuse(dense, lexical, mode), dense, lexical);
  const ranked = scoreSentences(index, candidates, question, asked, queryVector);
  const confidence = round(Math.max(0, ...ranked.slice(0, engine.config.maxExcerpts).map((s) => s.relevance)));
  const covered = confidence >= engine.config.minScore;
  const spans = covered ? selectQuotes(index, ranked, engine.config.maxExcerpts) : [];
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
  const excerpts: Excerpt[] = spans.map((span) => {
    let n = numberOf.get(span.article);
    if (n === undefined) {
      const article = index.articles[span.article]!;
      n = sources.length + 1;
      numberOf.set(span.article, n);
      const { title, publisher, date, url, authors } = article.meta;
      sources.push({ n, title, publisher, date, url, authors, file: article.file });
    }
    const text = index.articles[span.article]!.text;
    return {
      quote: text.slice(span.start, span.end),
      source: n,
      score: round(span.score),
      start: span.start,
      end: span.end,
      trimmedStart: span.trimmedStart,
      trimmedEnd: span.trimmedEnd,
    };
  });
  return finish({ answered: true, status: 'answered', message: null, excerpts, sources, confidence, suggestions: [] });
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
