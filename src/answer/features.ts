// What the answer scorer sees of a (question, candidate sentence) pair: general signals, the same for any corpus and
// any embedding model — lexical overlap weighted by the corpus's idf, sentence BM25, the embedding similarity
// normalised against the corpus, the kind of answer the question's wording asks for and whether the sentence holds
// one, and where the sentence sits. The scorer (scorer.ts) was trained on exactly these, computed by this code
// (scripts/train/features.ts), so training and answering cannot drift apart.
import type { ArticleMeta } from '../corpus/types.js';
import type { AnalysedQuestion } from '../question/analyse.js';
import { coverage } from '../question/terms.js';
import type { FusedCandidate } from '../retrieve/search.js';
import { thesaurus } from '../retrieve/thesaurus.js';
import { termWords, terms } from '../store/lexical.js';
import { askedDays, termsOfAskedDays } from './asked-days.js';
import type { LoadedIndex } from '../store/types.js';
import { wordVectors, type WordVectors } from './word-vectors.js';

/** The feature names, in the order of the vectors; a trained model names the ones it was trained on. */
export const FEATURES = [
  'cov',
  'cov_syn',
  'cov_ctx',
  'cov_title',
  'cov_rel',
  'miss_idf_max',
  'miss_ctx_idf_max',
  'miss_count',
  'q_terms',
  'unknown_share',
  'bm25_abs',
  'bm25_rel',
  'bm25_rank',
  'bigram',
  'dense_cos',
  'dense_z',
  'dense_rel',
  'dense_rank',
  'centred',
  'chunk_fused',
  'chunk_dense_rank',
  'chunk_lex_rank',
  'len_words',
  'position',
  'para_first',
  'has_number',
  'has_year',
  'has_new_name',
  'has_quote',
  'new_share',
  'wh_person',
  'wh_time',
  'wh_place',
  'wh_quantity',
  'wh_reason',
  'wh_manner',
  'wh_thing',
  'wh_other',
  'type_match',
  'align_mean',
  'align_gap',
  'align_min',
  'align_rel',
  'q_negated',
  's_negated',
  'antonym',
] as const;

export type FeatureName = (typeof FEATURES)[number];

export interface Candidate {
  article: number;
  sentence: number;
  features: Float64Array;
}

type AnswerKind = 'person' | 'time' | 'place' | 'quantity' | 'reason' | 'manner' | 'thing' | 'other';

/** The kind of answer the question's wording asks for: its wh-word, the way every QA typology starts. */
export function answerKind(question: string): AnswerKind {
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|old|far|big|large|tall|high|often)\b|\bwhat (percentage|number|amount|proportion)\b/.test(q)) return 'quantity';
  if (/\bwhen\b|\bwhat (year|month|day|date|time|century|decade|period)\b|\bwhich (year|month|day|century)\b/.test(q)) return 'time';
  if (/\b(who|whom|whose)\b/.test(q)) return 'person';
  if (/\bwhere\b/.test(q)) return 'place';
  if (/\bwhy\b/.test(q)) return 'reason';
  if (/\bhow\b/.test(q)) return 'manner';
  if (/\b(what|which)\b/.test(q)) return 'thing';
  return 'other';
}

const YEAR_LIKE = /\b(\d{3,4}s?|\d+(st|nd|rd|th) century)\b|\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/;
/**
 * The days news reports count in ("on Thursday", "Oct. 21", "yesterday", "last week"): an answer to "when" too, the
 * article's date making them a date. Only for the answer-type match: `has_year` stays what the scorer was trained on.
 */
const NEWS_DAY =
  /\b(Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.\s?\d|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|tonight)\b|\b(last|next|earlier this|later this) (week|month|year)\b/;
const NUMBER_LIKE =
  /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half)\b/i;
const QUOTATION = /[“"][^“”"]{8,}[”"]/;
/** Negation cues, which the terms drop as stopwords: "Which treaty did Russia not ratify?" is not answered by "Russia ratified the treaty". */
export const NEGATION = /\b(not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b|n['’]t\b/i;

/**
 * The terms of a word's WordNet antonyms, with the comparative and superlative an adjective may take ("large" →
 * larger, largest; verbs' inflections already share a term): "Which is the smallest?" clashes with "the largest".
 */
function antonymTerms(word: string): string[] {
  const forms = thesaurus()
    .antonyms(word)
    .flatMap((a) => {
      const stem = a.replace(/e$/, '').replace(/y$/, 'i');
      return [a, `${stem}er`, `${stem}est`, `${a}${a.at(-1)}er`, `${a}${a.at(-1)}est`];
    });
  return [...new Set(terms(forms.join(' ')))];
}

/** Words of the text that are part of a two-word name or term WordNet knows ("South Korea", "first aid"): no opposite there. */
export function wordsInCompounds(text: string): Set<string> {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) {
    if (thesaurus().isWord(`${words[i]} ${words[i + 1]}`)) {
      out.add(words[i]!);
      out.add(words[i + 1]!);
    }
  }
  return out;
}

/** Sentence-level BM25 parameters (the usual ones). */
const K1 = 1.2;
const B = 0.75;
/** Sentences sampled to place a question's similarity on the corpus's scale. */
const SCALE_SAMPLE = 256;

const scales = new WeakMap<LoadedIndex, number[]>();
/** Evenly spread sentence rows of the index: how similar a question is to the corpus at large. */
function sampleRows(index: LoadedIndex): number[] {
  let rows = scales.get(index);
  if (!rows) {
    const total = index.sentenceVectors.rows;
    const step = Math.max(1, Math.floor(total / SCALE_SAMPLE));
    rows = [];
    for (let r = 0; r < total && rows.length < SCALE_SAMPLE; r += step) rows.push(r);
    scales.set(index, rows);
  }
  return rows;
}

interface SentenceView {
  article: number;
  sentence: number;
  text: string;
  terms: string[];
  /** Word-vector rows of the sentence's words (those the vectors know). */
  rows: number[];
  chunk: FusedCandidate;
}

/**
 * Soft word alignment: how well each question word is matched in the sentence — 1 when its term is there, else
 * the cosine of its word vector to the closest sentence word's (0 for a word the vectors do not know).
 */
function alignment(vectors: WordVectors, question: { term: string; row: number }[], sentenceTerms: Set<string>, sentenceRows: number[]): number[] {
  return question.map(({ term, row }) => {
    if (sentenceTerms.has(term)) return 1;
    if (row < 0) return 0;
    let best = 0;
    for (const other of sentenceRows) best = Math.max(best, vectors.cosine(row, other));
    return Math.min(1, best);
  });
}

/**
 * What stands over every sentence of a report, as words: when it ran ("November 2024") and who put it out (the
 * publisher, the authors). A question that asks of them ("what did the ministry say in november", "what did the
 * Korea Herald report") is met by each sentence of the report, as if the sentence said so. A name counts only when
 * the question holds all of it: "what did Moscow say" is not asking the Moscow Times.
 */
function bylineTerms(meta: ArticleMeta, asked: Set<string>): string[] {
  const out = datelineTerms(meta.date).filter((t) => asked.has(t));
  // "The Korea Herald (Yonhap)", "Reuters (via swissinfo.ch)": the outlet and the agency it carries are each a name.
  const outlets = (meta.publisher ?? '').split(/[(),]|\b(?:via|citing)\b/i);
  for (const name of [...outlets, ...meta.authors]) {
    const nameTerms = terms(name);
    if (nameTerms.length && nameTerms.every((t) => asked.has(t))) out.push(...nameTerms);
  }
  return [...new Set(out)];
}

function datelineTerms(date: string | null): string[] {
  if (!date) return [];
  let known = datelines.get(date);
  if (!known) {
    const ran = new Date(`${date}T00:00:00Z`);
    known = Number.isNaN(ran.getTime()) ? [] : terms(ran.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }));
    datelines.set(date, known);
  }
  return known;
}
const datelines = new Map<string, string[]>();

/** Every sentence of the candidate chunks once (overlapping chunks share sentences), with its features. */
export function candidateFeatures(
  index: LoadedIndex,
  candidates: FusedCandidate[],
  question: AnalysedQuestion,
  queryVector: Float32Array,
  ranks: { dense: Map<number, number>; lexical: Map<number, number> },
): Candidate[] {
  const vectors = wordVectors();
  const views = new Map<string, SentenceView>();
  for (const candidate of candidates) {
    const chunk = index.chunks[candidate.chunk]!;
    const article = index.articles[chunk.article]!;
    for (let s = chunk.firstSentence; s < chunk.endSentence; s++) {
      const key = `${chunk.article}:${s}`;
      const known = views.get(key);
      if (known) {
        if (candidate.fused > known.chunk.fused) known.chunk = candidate;
        continue;
      }
      const span = article.sentences[s]!;
      const text = article.text.slice(span.start, span.end);
      const words = termWords(text);
      views.set(key, {
        article: chunk.article,
        sentence: s,
        text,
        terms: words.map((w) => w.term),
        rows: [...new Set(words.map((w) => vectors.row(w.word)).filter((r) => r >= 0))],
        chunk: candidate,
      });
    }
  }
  const list = [...views.values()];
  if (!list.length) return [];

  const lexical = index.lexical;
  const questionTermList = [...new Set(terms(question.text))];
  const idf = new Map(questionTermList.map((t) => [t, lexical.idf(t) || lexical.rarestIdf()]));
  const idfSum = [...idf.values()].reduce((a, b) => a + b, 0) || 1;
  const idfMax = Math.max(1e-9, ...idf.values());
  const share = (present: (t: string) => boolean) => questionTermList.reduce((sum, t) => sum + (present(t) ? idf.get(t)! : 0), 0) / idfSum;
  const missingMax = (present: (t: string) => boolean) => questionTermList.reduce((m, t) => (present(t) ? m : Math.max(m, idf.get(t)!)), 0) / idfMax;
  const questionTermSet = new Set(questionTermList);
  const questionWords = [...new Map(termWords(question.text).map((w) => [w.term, { term: w.term, word: w.word, row: vectors.row(w.word) }])).values()];
  const pairs = questionTermList.slice(0, -1).map((t, i) => [t, questionTermList[i + 1]!] as const);
  const averageLength = Math.max(1, (lexical.averageLength * index.chunks.length) / Math.max(1, index.sentenceVectors.rows));
  const kind = answerKind(question.text);
  const questionSurface = new Set(question.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const questionNegated = NEGATION.test(question.text);
  const compounds = wordsInCompounds(question.text);
  const opposites = questionWords
    .filter((w) => !compounds.has(w.word))
    .map((w) => ({ term: w.term, antonyms: antonymTerms(w.word) }))
    .filter((o) => o.antonyms.length);

  // The question's similarity to the corpus at large: the scale on which a sentence's similarity stands out.
  const sample = sampleRows(index).map((r) => index.sentenceVectors.dot(r, queryVector));
  const sampleMean = sample.reduce((a, b) => a + b, 0) / Math.max(1, sample.length);
  const sampleSd = Math.sqrt(sample.reduce((a, b) => a + (b - sampleMean) ** 2, 0) / Math.max(1, sample.length)) || 1;
  const { mean, meanDots, centredNorms, meanSquare } = index.sentenceStats;
  let queryDotMean = 0;
  let querySquare = 0;
  for (let d = 0; d < queryVector.length; d++) {
    queryDotMean += queryVector[d]! * mean[d]!;
    querySquare += queryVector[d]! * queryVector[d]!;
  }
  const queryCentredNorm = Math.sqrt(Math.max(1e-12, querySquare - 2 * queryDotMean + meanSquare));

  const bylines = new Map<number, string[]>();
  const daysAsked = askedDays(question.text);
  const raw = list.map((view) => {
    const article = index.articles[view.article]!;
    // The byline's and dateline's words the question asks for ("…in november") count as the sentence's own, and so
    // does a day it asks for that the sentence dates by weekday ("on June 19": "on Wednesday" in a report of June 19).
    if (!bylines.has(view.article)) bylines.set(view.article, bylineTerms(article.meta, questionTermSet));
    const overReport = [...bylines.get(view.article)!, ...termsOfAskedDays(daysAsked, article.meta.date, view.text)].filter((t) => !view.terms.includes(t));
    const sentenceTerms = new Set([...view.terms, ...overReport]);
    const context = new Set(sentenceTerms);
    for (const neighbour of [view.sentence - 1, view.sentence + 1]) {
      const span = article.sentences[neighbour];
      if (!span) continue;
      const between =
        neighbour < view.sentence
          ? article.text.slice(span.end, article.sentences[view.sentence]!.start)
          : article.text.slice(article.sentences[view.sentence]!.end, span.start);
      if (!between.includes('\n')) for (const t of terms(article.text.slice(span.start, span.end))) context.add(t);
    }
    const titleTerms = new Set(terms(article.meta.title ?? ''));
    const withTitle = new Set([...context, ...titleTerms]);
    const tf = new Map<string, number>();
    for (const t of [...view.terms, ...overReport]) tf.set(t, (tf.get(t) ?? 0) + 1);
    const norm = K1 * (1 - B + (B * view.terms.length) / averageLength);
    let bm25 = 0;
    for (const t of questionTermList) {
      const f = tf.get(t) ?? 0;
      if (f) bm25 += (idf.get(t)! * f * (K1 + 1)) / (f + norm);
    }
    const row = article.sentenceRow + view.sentence;
    const cos = index.sentenceVectors.dot(row, queryVector);
    const centred = (cos - queryDotMean - meanDots[row]! + meanSquare) / (queryCentredNorm * centredNorms[row]!);
    const words = view.text.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? [];
    const newName = words.slice(1).some((w) => /^\p{Lu}/u.test(w) && !questionSurface.has(w.toLowerCase().replace(/['’]s$/, '')));
    const hasNumber = words.some((w) => NUMBER_LIKE.test(w) && !questionSurface.has(w.toLowerCase()));
    const hasYear = YEAR_LIKE.test(view.text);
    const gapBefore = view.sentence === 0 ? '\n' : article.text.slice(article.sentences[view.sentence - 1]!.end, article.sentences[view.sentence]!.start);
    const near = (a: string, b: string) => view.terms.some((t, p) => t === a && view.terms.slice(p + 1, p + 4).includes(b));
    const aligned = alignment(vectors, questionWords, sentenceTerms, view.rows);
    const typeMatch =
      kind === 'quantity'
        ? hasNumber
        : kind === 'time'
          ? hasYear || NEWS_DAY.test(view.text)
          : kind === 'person' || kind === 'place' || kind === 'thing'
            ? newName
            : false;
    return {
      view,
      cov: share((t) => sentenceTerms.has(t)),
      covSyn: coverage(question.terms, sentenceTerms),
      covCtx: share((t) => context.has(t)),
      covTitle: share((t) => titleTerms.has(t)),
      missMax: missingMax((t) => sentenceTerms.has(t)),
      missCtxMax: missingMax((t) => withTitle.has(t)),
      missCount: questionTermList.filter((t) => !sentenceTerms.has(t)).length,
      bm25,
      bigram: pairs.length ? pairs.filter(([a, b]) => near(a, b)).length / pairs.length : 0,
      cos,
      centred,
      words: words.length,
      paraFirst: gapBefore.includes('\n'),
      hasNumber,
      hasYear,
      newName,
      quote: QUOTATION.test(view.text),
      newShare: view.terms.length ? view.terms.filter((t) => !questionTermSet.has(t)).length / view.terms.length : 0,
      typeMatch,
      alignMean: questionWords.reduce((sum, w, k) => sum + idf.get(w.term)! * aligned[k]!, 0) / idfSum,
      alignGap: questionWords.reduce((m, w, k) => Math.max(m, (idf.get(w.term)! / idfMax) * (1 - aligned[k]!)), 0),
      alignMin: aligned.length ? Math.min(...aligned) : 1,
      negated: NEGATION.test(view.text),
      // A question word the sentence lacks while it holds the word's opposite ("minor" asked, "major" said).
      antonym: opposites.some((o) => !sentenceTerms.has(o.term) && o.antonyms.some((a) => sentenceTerms.has(a))),
    };
  });
  const maxAlign = Math.max(...raw.map((r) => r.alignMean));

  const maxCov = Math.max(...raw.map((r) => r.cov));
  const maxBm25 = Math.max(1e-9, ...raw.map((r) => r.bm25));
  const maxCos = Math.max(...raw.map((r) => r.cos));
  const rankOf = (values: number[]) => {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
    const out = new Array<number>(values.length);
    order.forEach(([, i], r) => {
      out[i] = 1 / (1 + r);
    });
    return out;
  };
  const bm25Rank = rankOf(raw.map((r) => r.bm25));
  const denseRank = rankOf(raw.map((r) => r.cos));
  const chunkRank = (ranking: Map<number, number>, chunk: number) => {
    const r = ranking.get(chunk);
    return r === undefined ? 0 : 1 / (1 + r);
  };

  return raw.map((r, i) => {
    const values: Record<FeatureName, number> = {
      cov: r.cov,
      cov_syn: r.covSyn,
      cov_ctx: r.covCtx,
      cov_title: r.covTitle,
      cov_rel: r.cov - maxCov,
      miss_idf_max: r.missMax,
      miss_ctx_idf_max: r.missCtxMax,
      miss_count: r.missCount,
      q_terms: questionTermList.length,
      unknown_share: question.terms.unknownShare,
      bm25_abs: r.bm25 / idfSum,
      bm25_rel: r.bm25 / maxBm25,
      bm25_rank: bm25Rank[i]!,
      bigram: r.bigram,
      dense_cos: r.cos,
      dense_z: (r.cos - sampleMean) / sampleSd,
      dense_rel: r.cos - maxCos,
      dense_rank: denseRank[i]!,
      centred: r.centred,
      chunk_fused: r.view.chunk.fused,
      chunk_dense_rank: chunkRank(ranks.dense, r.view.chunk.chunk),
      chunk_lex_rank: chunkRank(ranks.lexical, r.view.chunk.chunk),
      len_words: Math.log1p(r.words),
      position: Math.min(r.view.sentence, 20) / 20,
      para_first: r.paraFirst ? 1 : 0,
      has_number: r.hasNumber ? 1 : 0,
      has_year: r.hasYear ? 1 : 0,
      has_new_name: r.newName ? 1 : 0,
      has_quote: r.quote ? 1 : 0,
      new_share: r.newShare,
      wh_person: 0,
      wh_time: 0,
      wh_place: 0,
      wh_quantity: 0,
      wh_reason: 0,
      wh_manner: 0,
      wh_thing: 0,
      wh_other: 0,
      type_match: r.typeMatch ? 1 : 0,
      align_mean: r.alignMean,
      align_gap: r.alignGap,
      align_min: r.alignMin,
      align_rel: r.alignMean - maxAlign,
      q_negated: questionNegated ? 1 : 0,
      s_negated: r.negated ? 1 : 0,
      antonym: r.antonym ? 1 : 0,
    };
    values[`wh_${kind}` as FeatureName] = 1;
    return { article: r.view.article, sentence: r.view.sentence, features: Float64Array.from(FEATURES, (name) => values[name]) };
  });
}
