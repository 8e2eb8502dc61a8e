// Chooses the sentences that answer the question from the best chunks, and cuts them out verbatim.
import type { FusedCandidate } from '../retrieve/search.js';
import { terms } from '../retrieve/lexical.js';
import type { LoadedIndex } from '../store/types.js';

export interface ScoredSentence {
  article: number;
  sentence: number;
  /** Relevance in [0, 1]: semantic similarity and coverage of the question's rare terms. */
  score: number;
}

export interface QuoteSpan {
  article: number;
  start: number;
  end: number;
  score: number;
  trimmedStart: boolean;
  trimmedEnd: boolean;
}

/** Fewer words than this is a heading, caption or fragment: never quoted as an answer on its own. */
const MIN_QUOTABLE_WORDS = 5;

const WEIGHT_SEMANTIC = 0.55;
const WEIGHT_TERMS = 0.3;
const WEIGHT_RANK = 0.15;

/** Each sentence of the candidate chunks once (overlapping chunks share sentences), scored against the question. */
export function scoreSentences(index: LoadedIndex, candidates: FusedCandidate[], question: string, queryVector: Float32Array): ScoredSentence[] {
  const dims = index.manifest.dimensions;
  const questionTerms = [...new Set(terms(question))];
  const weights = questionTerms.map((t) => index.lexical.idf(t) || 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const seen = new Map<string, ScoredSentence>();
  for (const candidate of candidates) {
    const chunk = index.chunks[candidate.chunk]!;
    const article = index.articles[chunk.article]!;
    for (let s = chunk.firstSentence; s < chunk.endSentence; s++) {
      const key = `${chunk.article}:${s}`;
      if (seen.has(key)) continue;
      const span = article.sentences[s]!;
      const sentenceText = article.text.slice(span.start, span.end);
      if (sentenceText.split(' ').length < MIN_QUOTABLE_WORDS) continue;
      const row = (article.sentenceRow + s) * dims;
      let semantic = 0;
      for (let d = 0; d < dims; d++) semantic += index.sentenceVectors[row + d]! * queryVector[d]!;
      const sentenceTerms = new Set(terms(sentenceText));
      let covered = 0;
      questionTerms.forEach((t, i) => { if (sentenceTerms.has(t)) covered += weights[i]!; });
      const coverage = totalWeight ? covered / totalWeight : 0;
      const score = WEIGHT_SEMANTIC * Math.max(0, semantic) + WEIGHT_TERMS * coverage + WEIGHT_RANK * candidate.fused;
      seen.set(key, { article: chunk.article, sentence: s, score });
    }
  }
  return [...seen.values()].sort((a, b) => b.score - a.score);
}

/**
 * The best sentences, up to `maxExcerpts` quotes: sentences close in score to the best one are kept,
 * and neighbours in the same article merge into one quote. The first quote holds the best sentence.
 */
export function selectQuotes(index: LoadedIndex, ranked: ScoredSentence[], maxExcerpts: number): QuoteSpan[] {
  const best = ranked[0];
  if (!best) return [];
  const chosen = ranked.filter((s) => s.score >= best.score * 0.8).slice(0, maxExcerpts + 1);
  // Runs of consecutive sentences in one article become one quote.
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
    const first = Math.min(...group.map((g) => g.sentence));
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
function sameParagraph(index: LoadedIndex, next: ScoredSentence): boolean {
  const article = index.articles[next.article]!;
  const gap = article.text.slice(article.sentences[next.sentence - 1]!.end, article.sentences[next.sentence]!.start);
  return !gap.includes('\n');
}
