// Chooses the sentences that answer the question from the best chunks, and cuts them out verbatim.
import type { FusedCandidate } from '../retrieve/search.js';
import type { AnalysedQuestion } from '../question/analyse.js';
import type { LoadedIndex } from '../store/types.js';
import { candidateFeatures } from './features.js';
import type { AnswerScorer } from './scorer.js';
import { reorderHead } from './reorder.js';
import type { SecondLook } from './second-look.js';

export interface ScoredSentence {
  article: number;
  sentence: number;
  /** The scorer's log-odds that the sentence answers the question: the ranking. */
  score: number;
  /** The calibrated chance that a quote of this sentence answers the question. */
  confidence: number;
}

export interface QuoteSpan {
  article: number;
  /** Other articles that carry the same sentence (syndicated copy): cited with the quote. */
  alsoIn: number[];
  start: number;
  end: number;
  score: number;
  trimmedStart: boolean;
  trimmedEnd: boolean;
}

/** Sentence openings that refer back to the sentence before ("Such actions", "This is", "They then"). */
const ANAPHORIC_START = /^["“]?(This|These|That|Those|Such|It|Its|He|She|They|Their|His|Her)\b/;
/** Two sentences sharing this share of the longer one's words are copies of one sentence. */
const NEAR_COPY_SHARE = 0.8;
/** Fewer words than this, or no closing punctuation, is a heading, caption or fragment; a question answers nothing: never quoted. */
const MIN_QUOTABLE_WORDS = 5;
/** Quotes after the first stay within this many log-odds of it (e² ≈ 7 times less likely): supporting, not a different subject. */
export const SUPPORTING_LOGIT_GAP = 2;
/** An answer less likely than not to be right: flagged (the renderers say so in words), and its first quote reads on. */
export const LOW_CONFIDENCE_BELOW = 0.5;

/**
 * Each quotable sentence of the candidate chunks once, ranked by the first look; the second look (when given)
 * re-orders its best few, each rank keeping the first look's score and confidence, so the first look decides whether
 * to answer and the second which sentences lead.
 */
export function scoreSentences(
  index: LoadedIndex,
  candidates: FusedCandidate[],
  question: AnalysedQuestion,
  queryVector: Float32Array,
  ranks: { dense: Map<number, number>; lexical: Map<number, number> },
  scorer: AnswerScorer,
  second?: SecondLook,
): ScoredSentence[] {
  const first = candidateFeatures(index, candidates, question, queryVector, ranks)
    .map((c) => ({ ...c, text: sentenceText(index, c) }))
    .filter((c) => isQuotable(c.text))
    .map((c) => ({ ...c, score: scorer.logit(c.features) }))
    .sort((a, b) => b.score - a.score);
  const ranked = first.map((c) => ({ article: c.article, sentence: c.sentence, score: c.score, confidence: scorer.confidence(c.score) }));
  if (second) reorderHead(ranked, second.logits(question.text, first));
  return ranked;
}

/** A sentence's text, as the article holds it. */
export function sentenceText(index: LoadedIndex, s: Pick<ScoredSentence, 'article' | 'sentence'>): string {
  const article = index.articles[s.article]!;
  const span = article.sentences[s.sentence]!;
  return article.text.slice(span.start, span.end);
}

export function isQuotable(sentence: string): boolean {
  // A question in the text ("What did the two agree to?", a heading or a rhetorical one) answers nothing.
  return /[.!"'”’)]$/.test(sentence) && !/\?["'”’)]*$/.test(sentence) && (sentence.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= MIN_QUOTABLE_WORDS;
}

/**
 * The best sentences, up to `maxExcerpts` quotes: sentences close in score to the best one are kept,
 * and neighbours in the same paragraph merge into one quote. The first quote holds the best sentence (and, for an
 * unsure answer, the one after it).
 */
export function selectQuotes(
  index: LoadedIndex,
  ranked: ScoredSentence[],
  maxExcerpts: number,
  minConfidence: number,
  supportingGap = SUPPORTING_LOGIT_GAP,
): QuoteSpan[] {
  // The first quote decides whether the articles speak to the question at all; each further one must stay close to
  // it, so a good first quote is never padded with unrelated ones.
  const best = ranked[0];
  if (!best || best.confidence < minConfidence) return [];
  const relevant = ranked.filter((s) => s === best || s.score >= best.score - supportingGap);
  // The same sentence in several outlets (wire copy, or a copy edited by a word or two) is quoted once, from the
  // best-ranked copy, citing them all.
  const copies = new Map<ScoredSentence, number[]>();
  const chosen: ScoredSentence[] = [];
  const wordsOf = new Map<ScoredSentence, string[]>();
  const words = (s: ScoredSentence) => {
    let found = wordsOf.get(s);
    if (!found) {
      found = sentenceWords(index, s);
      wordsOf.set(s, found);
    }
    return found;
  };
  const copyOf = (s: ScoredSentence) => chosen.find((c) => c !== s && nearCopies(words(c), words(s)));
  const cite = (first: ScoredSentence, s: ScoredSentence) => {
    const outlets = copies.get(first)!;
    if (s.article !== first.article && !outlets.includes(s.article)) outlets.push(s.article);
  };
  for (const s of relevant) {
    if (chosen.length >= maxExcerpts) continue;
    const first = copyOf(s);
    if (first) {
      cite(first, s);
      continue;
    }
    copies.set(s, []);
    chosen.push(s);
  }
  // Copies beyond the quotes shown still count as outlets carrying them.
  for (const s of ranked) {
    if (copies.has(s)) continue;
    const first = copyOf(s);
    if (first) cite(first, s);
  }
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
    if (
      first > 0 &&
      ANAPHORIC_START.test(article.text.slice(opening.start, opening.end)) &&
      sameParagraph(index, { article: group[0]!.article, sentence: first })
    )
      first--;
    let last = Math.max(...group.map((g) => g.sentence));
    // An unsure answer reads on, as a reader would: the sentence that best matches a question often restates it, and
    // the detail asked for follows ("The ministry explained its decision.", then the reasons), in a report's next
    // paragraph as often as in the same one. A sentence quoted on its own already is not repeated.
    if (group.includes(best) && best.confidence < LOW_CONFIDENCE_BELOW) {
      const next = { article: best.article, sentence: last + 1 };
      if (
        next.sentence < article.sentences.length &&
        isQuotable(sentenceText(index, next)) &&
        !chosen.some((c) => c.article === next.article && c.sentence === next.sentence)
      )
        last++;
    }
    const start = article.sentences[first]!.start;
    const end = article.sentences[last]!.end;
    return {
      article: group[0]!.article,
      start,
      end,
      score: Math.max(...group.map((g) => g.score)),
      alsoIn: [...new Set(group.flatMap((g) => copies.get(g) ?? []))].filter((a) => a !== group[0]!.article),
      trimmedStart: start > 0 && article.text[start - 1] !== '\n',
      trimmedEnd: end < article.text.length && article.text[end] !== '\n',
    };
  });
}

/** A sentence's words, lower-cased, without punctuation: what two outlets' copies of one wire sentence share. */
function sentenceWords(index: LoadedIndex, s: Pick<ScoredSentence, 'article' | 'sentence'>): string[] {
  const article = index.articles[s.article]!;
  const span = article.sentences[s.sentence]!;
  return (
    article.text
      .slice(span.start, span.end)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The same sentence, or one edited by a word or two ("press conference" / "news conference"): one fact, quoted once. */
function nearCopies(a: string[], b: string[]): boolean {
  const longer = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < NEAR_COPY_SHARE * longer) return false;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of b) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(w, n - 1);
    }
  }
  return shared >= NEAR_COPY_SHARE * longer;
}

/** Neighbours merge, and a sentence that points back brings its antecedent, only within a paragraph: a new paragraph starts anew. */
function sameParagraph(index: LoadedIndex, next: Pick<ScoredSentence, 'article' | 'sentence'>): boolean {
  const article = index.articles[next.article]!;
  const gap = article.text.slice(article.sentences[next.sentence - 1]!.end, article.sentences[next.sentence]!.start);
  return !gap.includes('\n');
}
