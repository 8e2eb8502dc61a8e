// Chooses the sentences that answer the question from the best chunks, and cuts them out verbatim.
import type { FusedCandidate } from '../retrieve/search.js';
import { STOPWORDS, terms } from '../store/lexical.js';
import { coverage } from '../question/terms.js';
import { MONTHS, namesOutlet, outletName, REPORTED_SPEECH, type AnalysedQuestion } from '../question/analyse.js';
import type { LoadedIndex } from '../store/types.js';
import { NEIGHBOUR_CREDIT, SYNONYM_CREDIT } from '../retrieve/thesaurus.js';
import { holdsAnswerType } from '../question/answer-type.js';
import { thesaurus } from '../retrieve/thesaurus.js';

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
  /** Other articles that carry the same sentence (syndicated copy): cited with the quote. */
  alsoIn: number[];
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
/** "What did they say in November?": an article of that month, or a sentence naming it. */
const RANK_MONTH = 0.1;
/** Words in quotation marks: someone's own words. */
const QUOTATION = /[“"][^“”"]{8,}[”"]/;
/** "What did Kim give Putin?": the question's words in its order, a few terms apart, in the sentence ("Kim gave Putin"). */
const RANK_ORDER = 0.05;
const ORDER_WINDOW = 3;
/** "Is it in force yet?": the newer of the articles that answer, as they update each other. */
const RANK_RECENT = 0.06;
/** "Who is X?" answered by the role next to X's name. */
const RANK_DEFINITION = 0.15;
const RELEVANCE_SEMANTIC = 0.4;
const RELEVANCE_TERMS = 0.4;
const RELEVANCE_CENTRED = 0.2;
/** Holding the kind of answer asked for ("How many" → a number) makes a sentence likelier to answer at all. */
const RELEVANCE_ANSWER_TYPE = 0.1;
/** Asking about things the articles never mention in any words (see `unknownShare`) makes it likelier they don't say. */
const RELEVANCE_UNKNOWN_PENALTY = 0.2;
/** Sentence openings that refer back to the sentence before ("Such actions", "This is", "They then"). */
const ANAPHORIC_START = /^["“]?(This|These|That|Those|Such|It|Its|He|She|They|Their|His|Her)\b/;
/** A sentence that misses the question's focus or the kind of answer it needs ranks this much lower, and never quotes. */
const MISSED_FOCUS_PENALTY = 0.3;
/** A quote that does not name the category asked for ("what music…") keeps this share of its relevance. */
const MISSED_CATEGORY_FACTOR = 0.6;
/** "Who is X?" is answered by a role named this close to X: "Kremlin aide Yuri Ushakov", "Tikhonov, a professor at…". */
const ROLE_WINDOW_BEFORE = 3;
const ROLE_WINDOW_AFTER = 5;
/** A quote after the first needs this share of the floor: relevant in itself, if less than the best. */
const SUPPORTING_QUOTE_SHARE = 0.8;
/** Two sentences sharing this share of the longer one's words are copies of one sentence. */
const NEAR_COPY_SHARE = 0.8;
/** Fewer words than this, or no closing punctuation, is a heading, caption or fragment; a question answers nothing: never quoted. */
const MIN_QUOTABLE_WORDS = 5;

/** Each sentence of the candidate chunks once (overlapping chunks share sentences), scored against the question. */
export function scoreSentences(index: LoadedIndex, candidates: FusedCandidate[], question: AnalysedQuestion, queryVector: Float32Array): ScoredSentence[] {
  const questionTerms = question.terms;
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

  const { answerType } = question;
  // Only counts and dates are required of every quote; a name or place is a hint, too loose to decline on.
  const typeRequired = answerType === 'number' || answerType === 'date' || question.focus?.metByNumber === true;

  // Who published an article speaks for each of its sentences ("the Korea Herald story"); its title, too, for the
  // gates (too broad to rank by: a title's words are in most of its sentences' questions).
  const questionWords = question.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const metadata = new Map<number, { source: Set<string>; cited: Set<string> }>();
  const metadataTerms = (articleIndex: number) => {
    let found = metadata.get(articleIndex);
    if (!found) {
      const { title, publisher, authors } = index.articles[articleIndex]!.meta;
      const source = new Set(terms([publisher ?? '', ...authors].join(' ')));
      // "The Moscow Times" for "themoscowtimes.com": the question's terms its publisher's name holds.
      const outlet = [outletName(publisher)];
      for (const word of questionWords) if (namesOutlet(outlet, word)) for (const t of terms(word)) source.add(t);
      found = { source, cited: union(source, new Set(terms(title))) };
      metadata.set(articleIndex, found);
    }
    return found;
  };
  const recency = question.current ? recencyIn(index) : () => 0;
  // The question's words in their order ("kim give putin"): a sentence saying them in that order, close together,
  // says what was asked ("Kim gave Putin"), not its reverse.
  const questionOrder = terms(question.text).filter((t, i, all) => all.indexOf(t) === i);
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
      const sentenceTermList = terms(text);
      const sentenceTerms = new Set(sentenceTermList);
      // Ranking only: the publisher's name, and speech for a verb of saying, say what the sentence is, not that it answers.
      const rankedTerms = union(sentenceTerms, metadataTerms(chunk.article).source);
      if (question.speech && reportsSpeech(text)) rankedTerms.add(REPORTED_SPEECH);
      const covered = coverage(questionTerms, rankedTerms);
      // A definition's words help rank, but are too loose to prove the articles speak to the question.
      const coveredClosely = coverage(questionTerms, sentenceTerms, NEIGHBOUR_CREDIT);
      const numberNeeded = question.focus?.metByNumber ? 'number' : answerType;
      const typed = answerType && holdsAnswerType(answerType, text, question.text) ? 1 : 0;
      const defined = defines(question, text) ? 1 : 0;
      const timely = question.months.length && inMonths(question.months, article.meta.date, text) ? 1 : 0;
      const recent = recency(article.meta.date);
      const citedTerms = union(sentenceTerms, metadataTerms(chunk.article).cited);
      const categoryMet = meetsFocus(question, citedTerms, text, true);
      const answers =
        meetsFocus(question, citedTerms, text, false) &&
        namesRequired(question, citedTerms) &&
        (!typeRequired || holdsAnswerType(numberNeeded!, text, question.text));
      seen.set(key, {
        article: chunk.article,
        sentence: s,
        score:
          RANK_SEMANTIC * centred +
          RANK_TERMS * covered +
          RANK_ANSWER_TYPE * typed +
          RANK_DEFINITION * defined +
          RANK_MONTH * timely +
          RANK_ORDER * inOrder(questionOrder, sentenceTermList) +
          RANK_RECENT * recent -
          (answers ? 0 : MISSED_FOCUS_PENALTY) -
          (categoryMet ? 0 : MISSED_FOCUS_PENALTY / 2),
        relevance: !answers
          ? 0
          : (categoryMet ? 1 : MISSED_CATEGORY_FACTOR) *
            clamp(
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

/** Every focus word of the question is met by the sentence's terms, itself or by a close synonym or derived form. */
function meetsFocus(question: AnalysedQuestion, sentenceTerms: Set<string>, sentence: string, categories: boolean): boolean {
  if (!question.focus) return true;
  return question.focus.words.every(
    (f) => f.category !== categories || [...f.terms].some((t) => sentenceTerms.has(t)) || (f.byName && holdsAnswerType('name', sentence, question.text)),
  );
}

/** What the articles never name is only spoken of in a sentence holding it or a synonym (never in a broader word). */
function namesRequired(question: AnalysedQuestion, sentenceTerms: Set<string>): boolean {
  return question.required.every(
    (term) =>
      sentenceTerms.has(term) ||
      question.terms.terms.find((t) => t.term === term)?.alternatives.some((a) => a.credit >= SYNONYM_CREDIT && a.terms.every((x) => sentenceTerms.has(x))),
  );
}

/** For "who is X?": the sentence names a role (a kind of person) right next to X. */
function defines(question: AnalysedQuestion, sentence: string): boolean {
  if (!question.definitionOf) return false;
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? [];
  const stems = words.map((w) => terms(w)[0] ?? '');
  const at = stems.indexOf(question.definitionOf[question.definitionOf.length - 1]!);
  if (at < 0) return false;
  const near = [...words.slice(Math.max(0, at - ROLE_WINDOW_BEFORE - question.definitionOf.length), at), ...words.slice(at + 1, at + 1 + ROLE_WINDOW_AFTER)];
  return near.some((w) => /^\p{Ll}/u.test(w) && thesaurus().isPerson(w));
}

function inMonths(months: number[], date: string | null, sentence: string): boolean {
  const month = date ? Number(date.slice(5, 7)) : 0;
  return months.some((m) => m === month || sentence.includes(capitalised(MONTHS[m - 1]!)));
}

function capitalised(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}

const recencies = new WeakMap<LoadedIndex, (date: string | null) => number>();
/** Where an article's date falls between the index's first and last: 1 for the newest (once per index). */
function recencyIn(index: LoadedIndex): (date: string | null) => number {
  let recency = recencies.get(index);
  if (!recency) {
    const dates = index.articles.map((a) => (a.meta.date ? Date.parse(a.meta.date) : Number.NaN)).filter((d) => !Number.isNaN(d));
    const oldest = Math.min(...dates);
    const span = Math.max(...dates) - oldest;
    recency = (date) => (date && span > 0 ? (Date.parse(date) - oldest) / span : 0);
    recencies.set(index, recency);
  }
  return recency;
}

/** A quotation, or a verb of saying: the sentence reports what someone said. */
function reportsSpeech(sentence: string): boolean {
  if (QUOTATION.test(sentence)) return true;
  return (sentence.match(/\p{Ll}+/gu) ?? []).some((w) => !STOPWORDS.has(w) && thesaurus().isSpeechVerb(w));
}

/** Share of the question's consecutive term pairs the sentence holds in the same order, within ORDER_WINDOW terms. */
function inOrder(questionOrder: string[], sentence: string[]): number {
  if (questionOrder.length < 2) return 0;
  const near = (a: string, b: string) => sentence.some((t, p) => t === a && sentence.slice(p + 1, p + 1 + ORDER_WINDOW).includes(b));
  let held = 0;
  for (let i = 0; i + 1 < questionOrder.length; i++) {
    const [a, b] = [questionOrder[i]!, questionOrder[i + 1]!];
    if (near(a, b)) held++;
  }
  return held / (questionOrder.length - 1);
}

function union<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a, ...b]);
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function isQuotable(sentence: string): boolean {
  // A question in the text ("What did the two agree to?", a heading or a rhetorical one) answers nothing.
  return /[.!"'”’)]$/.test(sentence) && !/\?["'”’)]*$/.test(sentence) && (sentence.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= MIN_QUOTABLE_WORDS;
}

/**
 * The best sentences, up to `maxExcerpts` quotes: sentences close in score to the best one are kept,
 * and neighbours in the same paragraph merge into one quote. The first quote holds the best sentence.
 */
export function selectQuotes(
  index: LoadedIndex,
  ranked: ScoredSentence[],
  maxExcerpts: number,
  minRelevance: number,
  /** "What did X say?": a quote that only says X spoke brings the words that follow it ("He said, …"). */
  speech = false,
): QuoteSpan[] {
  // Each quote must answer on its own: a good first quote is never padded with unrelated ones. The floor decides
  // whether the articles speak to the question at all; a supporting quote may stand a little below it.
  const best = ranked.find((s) => s.relevance >= minRelevance);
  if (!best) return [];
  const relevant = ranked.filter((s) => s === best || s.relevance >= minRelevance * SUPPORTING_QUOTE_SHARE);
  const floor = best.score - Math.abs(best.score) * 0.35;
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
    if (s.score < floor || chosen.length >= maxExcerpts) continue;
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
    // "Lin Jian spoke at a news conference. He said, "…"": for what someone said, the words they said.
    if (speech && !QUOTATION.test(spanText(article, first, last)) && last + 1 < article.sentences.length) {
      const next = spanText(article, last + 1, last + 1);
      if (ANAPHORIC_START.test(next) && QUOTATION.test(next) && sameParagraph(index, { article: group[0]!.article, sentence: last + 1 })) last++;
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

function spanText(article: LoadedIndex['articles'][number], first: number, last: number): string {
  return article.text.slice(article.sentences[first]!.start, article.sentences[last]!.end);
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

/** Quotes stay within a paragraph, so each renders as one block quote. */
function sameParagraph(index: LoadedIndex, next: Pick<ScoredSentence, 'article' | 'sentence'>): boolean {
  const article = index.articles[next.article]!;
  const gap = article.text.slice(article.sentences[next.sentence - 1]!.end, article.sentences[next.sentence]!.start);
  return !gap.includes('\n');
}
