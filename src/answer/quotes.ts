// Chooses the sentences that answer the question from the best chunks, and cuts them out verbatim.
import type { FusedCandidate } from '../retrieve/search.js';
import { terms } from '../store/lexical.js';
import { coverage, type QuestionTerms } from './question-terms.js';
import type { LoadedIndex } from '../store/types.js';
import { NEIGHBOUR_CREDIT } from '../retrieve/thesaurus.js';
import { expectedAnswerType, holdsAnswerType } from './answer-type.js';

export interface ScoredSentence {
  article: number;
  sentence: number;
  /** Ranking score: how well the sentence answers the question. */
  score: number;
  /** Relevance in [0, 1] used to decide whether the articles cover the question at all. */
  relevance: number;
}

export interface QuoteSpan {
  article: number;
  start: number;
  end: number;
  score: number;
  trimmedStart: boolean;
  trimmedEnd: boolean;
}

// Weights fitted on tests/fixtures/eval.json with `npm run eval` (see README, "How answers are chosen").
const RANK_SEMANTIC = 0.2;
const RANK_TERMS = 0.5;
const RANK_ANSWER_TYPE = 0.15;
const RELEVANCE_SEMANTIC = 0.4;
const RELEVANCE_TERMS = 0.4;
const RELEVANCE_CENTRED = 0.2;
/** Holding the kind of answer asked for ("How many" → a number) makes a sentence likelier to answer at all. */
const RELEVANCE_ANSWER_TYPE = 0.1;
/** Asking about things the articles never mention in any words (see `unknownShare`) makes it likelier they don't say. */
const RELEVANCE_UNKNOWN_PENALTY = 0.2;
/** Sentence openings that refer back to the sentence before ("Such actions", "This is", "They then"). */
const ANAPHORIC_START = /^["“]?(This|These|That|Those|Such|It|Its|He|She|They|Their|His|Her)\b/;
/** Fewer words than this, or no closing punctuation, is a heading, caption or fragment: never quoted alone. */
const MIN_QUOTABLE_WORDS = 5;

/** Each sentence of the candidate chunks once (overlapping chunks share sentences), scored against the question. */
export function scoreSentences(index: LoadedIndex, candidates: FusedCandidate[], question: string, questionTerms: QuestionTerms, queryVector: Float32Array): ScoredSentence[] {
  const dims = index.manifest.dimensions;
  const { mean, meanDots, centredNorms, meanSquare } = index.sentenceStats;
  // Cosine after removing the corpus's common direction: names every sentence shares stop dominating.
  let queryDotMean = 0;
  let querySquare = 0;
  for (let d = 0; d < dims; d++) {
    queryDotMean += queryVector[d]! * mean[d]!;
    querySquare += queryVector[d]! * queryVector[d]!;
  }
  const queryCentredNorm = Math.sqrt(Math.max(1e-12, querySquare - 2 * queryDotMean + meanSquare));

  const answerType = expectedAnswerType(question);

  const seen = new Map<string, ScoredSentence>();
  for (const candidate of candidates) {
    const chunk = index.chunks[candidate.chunk]!;
    const article = index.articles[chunk.article]!;
    for (let s = chunk.firstSentence; s < chunk.endSentence; s++) {
      const key = `${chunk.article}:${s}`;
      if (seen.has(key)) continue;
      const span = article.sentences[s]!;
      const text = article.text.slice(span.start, span.end);
      if (!isQuotable(text)) continue;
      const row = article.sentenceRow + s;
      const semantic = index.sentenceVectors.dot(row, queryVector);
      const centred = (semantic - queryDotMean - meanDots[row]! + meanSquare) / (queryCentredNorm * centredNorms[row]!);
      const sentenceTerms = new Set(terms(text));
      const covered = coverage(questionTerms, sentenceTerms);
      // A definition's words help rank, but are too loose to prove the articles speak to the question.
      const coveredClosely = coverage(questionTerms, sentenceTerms, NEIGHBOUR_CREDIT);
      const typed = answerType && holdsAnswerType(answerType, text, question) ? 1 : 0;
      seen.set(key, {
        article: chunk.article,
        sentence: s,
        score: RANK_SEMANTIC * centred + RANK_TERMS * covered + RANK_ANSWER_TYPE * typed,
        relevance: clamp(
          RELEVANCE_SEMANTIC * Math.max(0, semantic) +
            RELEVANCE_TERMS * coveredClosely +
            RELEVANCE_CENTRED * Math.max(0, centred) +
            RELEVANCE_ANSWER_TYPE * typed -
            RELEVANCE_UNKNOWN_PENALTY * questionTerms.unknownShare,
        ),
      });
    }
  }
  return [...seen.values()].sort((a, b) => b.score - a.score);
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function isQuotable(sentence: string): boolean {
  return /[.!?"'”’)]$/.test(sentence) && (sentence.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= MIN_QUOTABLE_WORDS;
}

/**
 * The best sentences, up to `maxExcerpts` quotes: sentences close in score to the best one are kept,
 * and neighbours in the same paragraph merge into one quote. The first quote holds the best sentence.
 */
export function selectQuotes(index: LoadedIndex, ranked: ScoredSentence[], maxExcerpts: number): QuoteSpan[] {
  const best = ranked[0];
  if (!best) return [];
  const floor = best.score - Math.abs(best.score) * 0.35;
  const chosen = ranked.filter((s) => s.score >= floor).slice(0, maxExcerpts);
  // Runs of consecutive sentences in one paragraph become one quote.
  const byPosition = [...chosen].sort((a, b) => a.article - b.article || a.sentence - b.sentence);
  const groups: ScoredSentence[][] = [];
  for (const sentence of byPosition) {
    const run = groups[groups.length - 1];
    const tail = run?.[run.length - 1];
    if (run && tail!.article === sentence.article && tail!.sentence + 1 === sentence.sentence && sameParagraph(index, sentence)) run.push(sentence);
    else groups.push([sentence]);
  }
  groups.sort((a, b) => Math.max(...b.map((g) => g.score)) - Math.max(...a.map((g) => g.score)));
  return groups.slice(0, maxExcerpts).map((group) => {
    const article = index.articles[group[0]!.article]!;
    let first = Math.min(...group.map((g) => g.sentence));
    // "Such illegal actions…" means nothing alone: a sentence that points back brings the one it points to.
    const opening = article.sentences[first]!;
    if (first > 0 && ANAPHORIC_START.test(article.text.slice(opening.start, opening.end)) && sameParagraph(index, { article: group[0]!.article, sentence: first })) first--;
    const last = Math.max(...group.map((g) => g.sentence));
    const start = article.sentences[first]!.start;
    const end = article.sentences[last]!.end;
    return {
      article: group[0]!.article,
      start,
      end,
      score: Math.max(...group.map((g) => g.score)),
      trimmedStart: start > 0 && article.text[start - 1] !== '\n',
      trimmedEnd: end < article.text.length && article.text[end] !== '\n',
    };
  });
}

/** Quotes stay within a paragraph, so each renders as one block quote. */
function sameParagraph(index: LoadedIndex, next: Pick<ScoredSentence, 'article' | 'sentence'>): boolean {
  const article = index.articles[next.article]!;
  const gap = article.text.slice(article.sentences[next.sentence - 1]!.end, article.sentences[next.sentence]!.start);
  return !gap.includes('\n');
}
