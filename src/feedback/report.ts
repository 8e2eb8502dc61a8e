// The editor's view of the bot: what readers asked that the articles do not cover (grouped by similarity
// with the same embedding model as the index), the answers voted not helpful, and counts per day and per way
// of asking. Built from the feedback database; rendered for the terminal, JSON, and Discord messages.
import type { Embedder } from '../embed/embedder.js';
import type { FeedbackStore, StoredQuestion } from './store.js';

export interface GapGroup {
  /** Questions in the group. */
  count: number;
  /** Up to three distinct wordings, most recent first. */
  examples: string[];
  lastAskedAt: string;
}

export interface ReportCounts {
  questions: number;
  answered: number;
  lowConfidence: number;
  declined: number;
  empty: number;
}

export interface Report {
  since: string;
  until: string;
  totals: ReportCounts & { helpfulVotes: number; notHelpfulVotes: number };
  /** Declined questions grouped by meaning, largest group first: what readers want that the articles lack. */
  gaps: GapGroup[];
  /** Declined questions whose text was not stored (STORE_QUESTION_TEXT=false): counted, not grouped. */
  gapsWithoutText: number;
  notHelpful: { question: string | null; readAs: string | null; askedAt: string; helpful: number; notHelpful: number; articles: string[] }[];
  perDay: ({ day: string } & ReportCounts)[];
  perVia: ({ via: string } & ReportCounts)[];
}

/** Declined questions grouped at most (the most recent); beyond that the report would not be read anyway. */
const MAX_GROUPED = 1000;
/**
 * Two questions share a group when their similarity stands out from how similar questions to this bot
 * typically are to each other: mean + 2 standard deviations of the pairwise similarities, kept within
 * [0.55, 0.9] so a tiny or uniform sample cannot merge everything or nothing. This adapts to the model: a
 * static word-vector model and a transformer place unrelated questions at very different similarities.
 */
const SPREAD = 2;
const THRESHOLD_RANGE = [0.55, 0.9] as const;

export function parseSince(text: string, now: number = Date.now()): number {
  const match = /^(\d+)\s*([mhdw])$/i.exec(text.trim());
  if (match) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return now - Number(match[1]) * unit;
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) throw new RangeError(`"${text}" is not a period: use e.g. 7d, 24h, 2w or a date such as 2026-11-01.`);
  return date;
}

export async function buildReport(store: FeedbackStore, embedder: Embedder, since: number, now: number = Date.now()): Promise<Report> {
  const questions = store.questionsSince(since);
  const declined = questions.filter((q) => q.outcome === 'declined');
  const withText = declined.filter((q) => q.readAs ?? q.question).slice(-MAX_GROUPED);
  const votes = store.voteTotalsSince(since);
  return {
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    totals: { ...count(questions), helpfulVotes: votes.helpful, notHelpfulVotes: votes.notHelpful },
    gaps: await groupBySimilarity(withText, embedder),
    gapsWithoutText: declined.length - declined.filter((q) => q.readAs ?? q.question).length,
    notHelpful: store.notHelpfulSince(since).map((q) => ({
      question: q.question,
      readAs: q.readAs,
      askedAt: new Date(q.askedAt).toISOString(),
      helpful: q.helpful,
      notHelpful: q.notHelpful,
      articles: q.articles,
    })),
    perDay: groupCounts(questions, (q) => new Date(q.askedAt).toISOString().slice(0, 10)).map(([day, c]) => ({ day, ...c })),
    perVia: groupCounts(questions, (q) => q.via)
      .sort((a, b) => b[1].questions - a[1].questions)
      .map(([via, c]) => ({ via, ...c })),
  };
}

function count(questions: StoredQuestion[]): ReportCounts {
  const counts: ReportCounts = { questions: questions.length, answered: 0, lowConfidence: 0, declined: 0, empty: 0 };
  for (const q of questions) {
    if (q.outcome === 'answered') counts.answered++;
    else if (q.outcome === 'low-confidence') counts.lowConfidence++;
    else if (q.outcome === 'declined') counts.declined++;
    else counts.empty++;
  }
  return counts;
}

function groupCounts(questions: StoredQuestion[], key: (q: StoredQuestion) => string): [string, ReportCounts][] {
  const groups = new Map<string, StoredQuestion[]>();
  for (const q of questions) groups.set(key(q), [...(groups.get(key(q)) ?? []), q]);
  return [...groups].map(([k, qs]) => [k, count(qs)]);
}

/** Greedy grouping: each question joins the most similar group centroid above the threshold, or starts one. */
async function groupBySimilarity(questions: StoredQuestion[], embedder: Embedder): Promise<GapGroup[]> {
  if (!questions.length) return [];
  const texts = questions.map((q) => (q.readAs ?? q.question)!);
  const vectors: Float32Array[] = [];
  for (const text of texts) vectors.push(normalise(await embedder.embedQuery(text)));
  const threshold = similarityThreshold(vectors);
  const groups: { sum: Float32Array; members: number[] }[] = [];
  vectors.forEach((v, i) => {
    let best = -1;
    let bestSim = threshold;
    groups.forEach((g, gi) => {
      const sim = dot(v, g.sum) / Math.hypot(...g.sum);
      if (sim >= bestSim) {
        best = gi;
        bestSim = sim;
      }
    });
    if (best < 0) groups.push({ sum: Float32Array.from(v), members: [i] });
    else {
      const g = groups[best]!;
      for (let d = 0; d < v.length; d++) g.sum[d]! += v[d]!;
      g.members.push(i);
    }
  });
  return groups
    .map((g) => {
      const recentFirst = [...g.members].reverse();
      const seen = new Set<string>();
      const examples: string[] = [];
      for (const m of recentFirst) {
        const key = texts[m]!.toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, ' ')
          .trim();
        if (seen.has(key)) continue;
        seen.add(key);
        if (examples.length < 3) examples.push(texts[m]!);
      }
      return { count: g.members.length, examples, lastAskedAt: new Date(questions[recentFirst[0]!]!.askedAt).toISOString() };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
}

function similarityThreshold(vectors: Float32Array[]): number {
  const sims: number[] = [];
  // A sample of pairs is enough to know the spread; all pairs when there are few.
  const step = Math.max(1, Math.floor(vectors.length / 100));
  for (let i = 0; i < vectors.length; i += step) for (let j = i + 1; j < vectors.length; j += step) sims.push(dot(vectors[i]!, vectors[j]!));
  if (sims.length < 3) return THRESHOLD_RANGE[0] + (THRESHOLD_RANGE[1] - THRESHOLD_RANGE[0]) / 2;
  const mean = sims.reduce((a, b) => a + b, 0) / sims.length;
  const sd = Math.sqrt(sims.reduce((a, b) => a + (b - mean) ** 2, 0) / sims.length);
  return Math.min(THRESHOLD_RANGE[1], Math.max(THRESHOLD_RANGE[0], mean + SPREAD * sd));
}

function normalise(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
