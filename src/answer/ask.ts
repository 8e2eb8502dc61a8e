// Question in, answer object out: embed → retrieve (dense + lexical) → choose sentences → cite.
import type { AnswerConfig } from '../config.js';
import type { Embedder } from '../embed/embedder.js';
import { candidateChunks, denseSearch, fuse, type FusedCandidate, type RetrievalMode } from '../retrieve/search.js';
import type { LoadedIndex } from '../store/types.js';
import { questionReadings, type AnalysedQuestion } from '../question/analyse.js';
import { holdsLink } from '../question/chat-frame.js';
import { mostlyNonLatin } from '../question/script.js';
import { answerScorer } from './scorer.js';
import { secondLook } from './second-look.js';
import { LOW_CONFIDENCE_BELOW, scoreSentences, selectQuotes } from './quotes.js';
import { rerankTop, type Reranker } from './reranker.js';
import type { Answer, Excerpt, SourceRef, Timings } from './types.js';

/**
 * How many candidates each retriever contributes before fusion; the best fused chunks, plus the head of each list, are
 * the chunks whose sentences are scored. Measured on SQuAD train articles (README): 10/5/3, 20/10/5 and 40/20/10 rank
 * alike there; the scorer was trained on what 20/10/5 gathers, and a larger story has more near-duplicates to pass.
 */
const CANDIDATES_PER_RETRIEVER = 20;
const FUSED_CANDIDATES = 10;
const HEAD_CANDIDATES = 5;

export interface AnswerEngine {
  embedder: Embedder;
  /** Read on every question, so a reloaded index takes effect on the next one. */
  index(): LoadedIndex;
  config: AnswerConfig;
  /** ANSWER_MODEL's cross-encoder, when set: re-orders the best candidate sentences (src/answer/reranker.ts). */
  reranker?: Reranker;
}

export { normalizeQuestion } from '../question/normalize.js';

export async function ask(engine: AnswerEngine, rawQuestion: string, mode: RetrievalMode = 'hybrid'): Promise<Answer> {
  const started = performance.now();
  const index = engine.index();
  const scorer = answerScorer();
  const minConfidence = engine.config.minConfidence ?? scorer.declineBelow;
  const { whole, toAnswer: readings } = questionReadings(rawQuestion, engine.config.maxQuestionChars, index);
  let analysed = whole;
  const question = analysed.asked;
  const timings: Timings = { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 };
  const finish = (answer: Omit<Answer, 'question' | 'readAs' | 'lowConfidence' | 'timings'>): Answer => {
    timings.totalMs = performance.now() - started;
    return { question, readAs: analysed.readAs, ...answer, lowConfidence: answer.answered && answer.confidence < LOW_CONFIDENCE_BELOW, timings };
  };

  // Nothing to look up: no words at all, or only chat ("thanks!", "hi bot", "lol").
  if (!/[\p{L}\p{N}]/u.test(analysed.text)) {
    return finish({
      answered: false,
      status: 'empty-question',
      message: `${holdsLink(question) ? "I don't open links sent with a question. " : ''}Ask me something about ${storyName(index)}.`,
      excerpts: [],
      sources: [],
      confidence: 0,
      suggestions: suggestions(index),
    });
  }

  // A message of several sentences is asked whole and as each sentence that asks on its own; the reading whose best
  // sentence is likelier to answer is kept (src/question/asking-sentence.ts).
  let ranked: ReturnType<typeof scoreSentences> = [];
  let scoringMs = 0;
  for (const reading of readings) {
    const gathered = await gatherCandidates(engine, reading, mode, timings);
    const t = performance.now();
    const scored = scoreSentences(index, gathered.candidates, reading, gathered.queryVector, gathered.ranks, scorer, secondLook());
    scoringMs += performance.now() - t;
    if (reading === readings[0] || (scored[0]?.confidence ?? 0) > (ranked[0]?.confidence ?? 0)) {
      ranked = scored;
      analysed = reading;
    }
  }
  const confidence = round(ranked[0]?.confidence ?? 0);
  // ANSWER_MODEL: the cross-encoder re-orders the top sentences; each rank keeps the built-in scorer's calibrated
  // confidence (the cross-encoder's logits are not probabilities), so an answer is declined exactly when it would be without it.
  const t = performance.now();
  if (engine.reranker) timings.rerankMs = await rerankTop(engine.reranker, index, analysed.text, ranked);
  const spans = selectQuotes(index, ranked, engine.config.maxExcerpts, minConfidence, engine.config.supportingGap);
  timings.quotesMs = scoringMs + performance.now() - t;

  if (!spans.length) {
    // Declined: no one sentence of the message was answered, so none is shown as how it was read.
    analysed = whole;
    return finish({
      answered: false,
      status: 'not-covered',
      message: mostlyNonLatin(question)
        ? `I can only read questions in English. Try asking in English about ${storyName(index)}.`
        : `The articles don't say. I can only answer from ${storyName(index)}.`,
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

export interface Gathered {
  queryVector: Float32Array;
  candidates: FusedCandidate[];
  /** Rank of each chunk in the dense and the lexical list (0 = first). */
  ranks: { dense: Map<number, number>; lexical: Map<number, number> };
}

/** Embed the question, search dense and BM25, fuse: the chunks whose sentences the scorer sees. */
export async function gatherCandidates(
  engine: AnswerEngine,
  analysed: AnalysedQuestion,
  mode: RetrievalMode,
  timings?: Timings,
  /** Chunks to leave out, as if the corpus lacked them (training asks questions of a corpus without their answer). */
  without?: (chunk: number) => boolean,
): Promise<Gathered> {
  const index = engine.index();
  let t = performance.now();
  const queryVector = await engine.embedder.embedQuery(analysed.text);
  if (timings) timings.embedMs = performance.now() - t;
  t = performance.now();
  let dense = mode === 'lexical' ? [] : denseSearch(index, queryVector, CANDIDATES_PER_RETRIEVER);
  if (timings) timings.denseMs = performance.now() - t;
  t = performance.now();
  let lexical = mode === 'dense' ? [] : index.lexical.search(analysed.text, CANDIDATES_PER_RETRIEVER, analysed.terms.expansions);
  if (timings) timings.lexicalMs = performance.now() - t;
  if (without) {
    dense = dense.filter((s) => !without(s.doc));
    lexical = lexical.filter((s) => !without(s.doc));
  }
  const candidates = candidateChunks(fuse(dense, lexical, mode), dense, lexical, FUSED_CANDIDATES, HEAD_CANDIDATES);
  const ranks = { dense: new Map(dense.map((s, r) => [s.doc, r])), lexical: new Map(lexical.map((s, r) => [s.doc, r])) };
  return { queryVector, candidates, ranks };
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
