// The editor's view of the bot: what readers asked that the articles do not cover (grouped by similarity
// with the same embedding model as the index), the answers voted not helpful, and counts per day and per way
// of asking. Built from the feedback database; rendered for the terminal, JSON, and Discord messages.
import type { Embedder } from '../embed/embedder.js';
import type { FeedbackReader, StoredQuestion } from './store.js';

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
  /** Older declined questions left out of the grouping (beyond the most recent 5,000, or past the time budget). */
  gapsNotGrouped: number;
  notHelpful: { question: string | null; readAs: string | null; askedAt: string; helpful: number; notHelpful: number; articles: string[] }[];
  perDay: ({ day: string } & ReportCounts)[];
  perVia: ({ via: string } & ReportCounts)[];
  /** Rows skipped because they do not read as a question (hand edits, a damaged page). */
  malformedRows: number;
}

/** Declined questions grouped at most (the most recent); beyond that the report would not be read anyway. */
const MAX_GROUPED = 5000;
/**
 * Two questions share a group when their similarity stands out from how similar questions to this bot
 * typically are to each other: mean + 2 standard deviations of the pairwise similarities (of a sample of
 * pairs), kept within [0.55, 0.9] so a tiny or uniform sample cannot merge everything or nothing. This adapts
 * to the model: a static word-vector model and a transformer place unrelated questions at very different similarities.
 */
const SPREAD = 2;
const THRESHOLD_RANGE = [0.55, 0.9] as const;
/** Pairs sampled to estimate the spread of similarities (all pairs when there are fewer). */
const SAMPLED_PAIRS = 5000;
/**
 * Nearest-group search by random-hyperplane hashing: a question is compared only with the groups that share
 * a bucket with it in one of TABLES tables of BITS hyperplanes (at most MAX_CANDIDATES of them), so grouping
 * costs about the same per question however many groups there are. 12 × 6 finds a group at similarity 0.7
 * with probability ~0.9, at 0.8 ~0.97.
 */
const TABLES = 12;
const BITS = 6;
const MAX_CANDIDATES = 64;

export interface ReportOptions {
  /** Stop embedding declined questions at this time (ms since the epoch): older ones are counted, not grouped. */
  groupUntil?: number;
}

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

export async function buildReport(
  store: FeedbackReader,
  embedder: Embedder,
  since: number,
  now: number = Date.now(),
  options: ReportOptions = {},
): Promise<Report> {
  const questions = store.questionsSince(since);
  const declined = questions.filter((q) => q.outcome === 'declined');
  const withText = declined.filter((q) => q.readAs ?? q.question);
  const votes = store.voteTotalsSince(since);
  const notHelpful = store.notHelpfulSince(since);
  const grouping = await groupBySimilarity(withText.slice(-MAX_GROUPED), embedder, options.groupUntil ?? Number.POSITIVE_INFINITY);
  return {
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    totals: { ...count(questions), helpfulVotes: votes.helpful, notHelpfulVotes: votes.notHelpful },
    gaps: grouping.groups,
    gapsWithoutText: declined.length - withText.length,
    gapsNotGrouped: withText.length - grouping.grouped,
    notHelpful: notHelpful.map((q) => ({
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
    malformedRows: store.malformedRows,
  };
}

function emptyCounts(): ReportCounts {
  return { questions: 0, answered: 0, lowConfidence: 0, declined: 0, empty: 0 };
}

function add(counts: ReportCounts, q: StoredQuestion): void {
  counts.questions++;
  if (q.outcome === 'answered') counts.answered++;
  else if (q.outcome === 'low-confidence') counts.lowConfidence++;
  else if (q.outcome === 'declined') counts.declined++;
  else counts.empty++;
}

function count(questions: StoredQuestion[]): ReportCounts {
  const counts = emptyCounts();
  for (const q of questions) add(counts, q);
  return counts;
}

/** Counts per key in one pass, keys in order of first appearance. */
function groupCounts(questions: StoredQuestion[], key: (q: StoredQuestion) => string): [string, ReportCounts][] {
  const groups = new Map<string, ReportCounts>();
  for (const q of questions) {
    const k = key(q);
    const counts = groups.get(k) ?? emptyCounts();
    groups.set(k, counts);
    add(counts, q);
  }
  return [...groups];
}

/** One wording: the questions asked with it (same words, case and punctuation aside), oldest first. */
interface Wording {
  text: string;
  members: StoredQuestion[];
  /** Position of its most recent question in the list (oldest first). */
  last: number;
}

/**
 * Greedy grouping, oldest wording first: each joins the most similar group (by centroid) among its hashed
 * neighbours when above the threshold, or starts one. Repeated wordings are embedded once. Embedding stops
 * at `until`; the most recent wordings are embedded first, so what is left out is the oldest.
 */
async function groupBySimilarity(questions: StoredQuestion[], embedder: Embedder, until: number): Promise<{ groups: GapGroup[]; grouped: number }> {
  const byKey = new Map<string, Wording>();
  questions.forEach((q, i) => {
    const text = (q.readAs ?? q.question)!;
    const key = wordingKey(text);
    const wording = byKey.get(key);
    if (!wording) byKey.set(key, { text, members: [q], last: i });
    else {
      wording.members.push(q);
      wording.last = i;
    }
  });
  const wordings = [...byKey.values()];
  const vectors: (Float32Array | null)[] = new Array(wordings.length).fill(null);
  for (let i = wordings.length - 1; i >= 0 && Date.now() < until; i--) vectors[i] = normalise(await embedder.embedQuery(wordings[i]!.text));
  const embedded = wordings.flatMap((w, i) => (vectors[i] ? [{ wording: w, vector: vectors[i]! }] : []));
  if (!embedded.length) return { groups: [], grouped: 0 };
  const threshold = similarityThreshold(embedded.map((e) => e.vector));
  const hash = new HyperplaneHash(embedded[0]!.vector.length);
  const groups: { sum: Float32Array; norm: number; members: Wording[] }[] = [];
  const seen = new Int32Array(embedded.length).fill(-1);
  embedded.forEach(({ wording, vector }, i) => {
    const keys = hash.keys(vector);
    let best = -1;
    let bestSim = threshold;
    for (const g of hash.candidates(keys, MAX_CANDIDATES)) {
      if (seen[g] === i) continue;
      seen[g] = i;
      const group = groups[g]!;
      const sim = dot(vector, group.sum) / group.norm;
      if (sim >= bestSim) {
        best = g;
        bestSim = sim;
      }
    }
    if (best < 0) {
      groups.push({ sum: Float32Array.from(vector), norm: 1, members: [wording] });
      hash.add(keys, groups.length - 1);
      return;
    }
    const group = groups[best]!;
    // |s + v|² = |s|² + 2 s·v + |v|², with s·v = sim × |s| and |v| = 1.
    group.norm = Math.sqrt(group.norm ** 2 + 2 * bestSim * group.norm + 1);
    for (let d = 0; d < vector.length; d++) group.sum[d]! += vector[d]!;
    group.members.push(wording);
    hash.add(keys, best);
  });
  const latest = (w: Wording) => w.members.at(-1)!;
  const result = groups
    .map((g) => {
      const recentFirst = [...g.members].sort((a, b) => b.last - a.last);
      return {
        count: g.members.reduce((n, w) => n + w.members.length, 0),
        examples: recentFirst.slice(0, 3).map((w) => (latest(w).readAs ?? latest(w).question)!),
        lastAskedAt: new Date(latest(recentFirst[0]!).askedAt).toISOString(),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
  return { groups: result, grouped: embedded.reduce((n, e) => n + e.wording.members.length, 0) };
}

/** Same words, whatever the case and punctuation. */
function wordingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Buckets of groups by the signs of a vector against random hyperplanes (fixed seed: the same report twice is the same). */
class HyperplaneHash {
  private readonly planes: Float32Array[];
  private readonly buckets = Array.from({ length: TABLES }, () => new Map<number, number[]>());

  constructor(dimensions: number) {
    const random = seededRandom(19);
    this.planes = Array.from({ length: TABLES * BITS }, () => Float32Array.from({ length: dimensions }, () => gaussian(random)));
  }

  keys(v: Float32Array): number[] {
    const keys: number[] = [];
    for (let t = 0; t < TABLES; t++) {
      let key = 0;
      for (let b = 0; b < BITS; b++) key = (key << 1) | (dot(v, this.planes[t * BITS + b]!) >= 0 ? 1 : 0);
      keys.push(key);
    }
    return keys;
  }

  /** Groups sharing a bucket, the most recently added first, up to `max` (may repeat). */
  *candidates(keys: number[], max: number): Generator<number> {
    let given = 0;
    for (let t = 0; t < TABLES; t++) {
      const bucket = this.buckets[t]!.get(keys[t]!);
      if (!bucket) continue;
      for (let i = bucket.length - 1; i >= 0 && given < max; i--, given++) yield bucket[i]!;
    }
  }

  add(keys: number[], group: number): void {
    keys.forEach((key, t) => {
      const bucket = this.buckets[t]!.get(key);
      if (!bucket) this.buckets[t]!.set(key, [group]);
      else if (bucket.at(-1) !== group) {
        // The group moves to the end (most recent): an old copy of it further in is harmless (skipped as seen).
        bucket.push(group);
      }
    });
  }
}

function similarityThreshold(vectors: Float32Array[]): number {
  const sims: number[] = [];
  const n = vectors.length;
  if ((n * (n - 1)) / 2 <= SAMPLED_PAIRS) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sims.push(dot(vectors[i]!, vectors[j]!));
  } else {
    const random = seededRandom(7);
    while (sims.length < SAMPLED_PAIRS) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (i !== j) sims.push(dot(vectors[i]!, vectors[j]!));
    }
  }
  if (sims.length < 3) return THRESHOLD_RANGE[0] + (THRESHOLD_RANGE[1] - THRESHOLD_RANGE[0]) / 2;
  const mean = sims.reduce((a, b) => a + b, 0) / sims.length;
  const sd = Math.sqrt(sims.reduce((a, b) => a + (b - mean) ** 2, 0) / sims.length);
  return Math.min(THRESHOLD_RANGE[1], Math.max(THRESHOLD_RANGE[0], mean + SPREAD * sd));
}

/** A small deterministic generator (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
