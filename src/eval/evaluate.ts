// Runs the evaluation set through the real answer pipeline and measures what readers care about:
// is the first quote the answer, are off-topic questions declined, how long does it take.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { ask, type AnswerEngine } from '../answer/ask.js';
import { answerScorer } from '../answer/scorer.js';
import { readSquad, writeQaCorpus } from './squad.js';
import { readWikiQa } from './wikiqa.js';
import type { RetrievalMode } from '../retrieve/search.js';
import type { Answer } from '../answer/types.js';
import { percentile } from '../util/percentile.js';

export interface EvalSet {
  answerable: { question: string; expect: string[]; article?: string; kind?: string }[];
  offTopic: { question: string }[];
}

export interface ModeReport {
  mode: RetrievalMode;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  offTopicRefusal: number;
  falseRefusals: number;
  p50Ms: number;
  p95Ms: number;
  /** Questions not answered by the first quote (answerable: missed or declined) or answered when they should be declined. */
  misses: { kind: 'missed' | 'declined' | 'answered'; question: string; got: string | null }[];
}

export interface EvalReport {
  model: string;
  /** Answers less likely than this to be right are declined (the scorer's threshold, or ANSWER_MIN_CONFIDENCE). */
  declineBelow: number;
  questions: { answerable: number; offTopic: number };
  modes: ModeReport[];
}

/** A set in a folder, as `../shared/story` has it: `questions.json` ([{q, any}]), `not-covered.json` ([q]) and `articles/`. */
interface FolderQuestion {
  q: string;
  any: string[];
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** An eval set from a JSON file (`{answerable, offTopic}`) or a story folder; `articlesDir` is set for a folder. */
export async function loadEvalSet(file: string): Promise<EvalSet & { articlesDir?: string }> {
  if ((await stat(file).catch(() => null))?.isDirectory()) return loadFolderSet(file);
  let set: Partial<EvalSet>;
  try {
    set = JSON.parse(await readFile(file, 'utf8')) as Partial<EvalSet>;
  } catch (error) {
    throw new ConfigError(`Cannot read the eval set ${file}: ${(error as Error).message}`);
  }
  const answerableOk =
    Array.isArray(set.answerable) &&
    set.answerable.every((q) => isText(q?.question) && Array.isArray(q.expect) && q.expect.length > 0 && q.expect.every(isText));
  const offTopicOk = Array.isArray(set.offTopic) && set.offTopic.every((q) => isText(q?.question));
  if (!answerableOk || !offTopicOk) {
    throw new ConfigError(
      `The eval set ${file} must look like {"answerable": [{"question": "…", "expect": ["text an excerpt must contain"]}], "offTopic": [{"question": "…"}]}.`,
    );
  }
  return set as EvalSet;
}

async function loadFolderSet(dir: string): Promise<EvalSet & { articlesDir: string }> {
  const shape = `The eval folder ${dir} must hold questions.json ([{"q": "…", "any": ["text an excerpt must contain"]}]), not-covered.json (["question", …]) and articles/.`;
  let questions: unknown;
  let notCovered: unknown;
  try {
    questions = JSON.parse(await readFile(path.join(dir, 'questions.json'), 'utf8'));
    notCovered = JSON.parse(await readFile(path.join(dir, 'not-covered.json'), 'utf8'));
  } catch (error) {
    throw new ConfigError(`${shape}\nCause: ${(error as Error).message}`);
  }
  const ok =
    Array.isArray(questions) &&
    questions.every((q: Partial<FolderQuestion>) => isText(q?.q) && Array.isArray(q.any) && q.any.length > 0 && q.any.every(isText)) &&
    Array.isArray(notCovered) &&
    notCovered.every(isText);
  const articlesDir = path.join(dir, 'articles');
  if (!ok || !(await stat(articlesDir).catch(() => null))?.isDirectory()) throw new ConfigError(shape);
  return {
    answerable: (questions as FolderQuestion[]).map((q) => ({ question: q.q, expect: q.any })),
    offTopic: (notCovered as string[]).map((question) => ({ question })),
    articlesDir,
  };
}

/** The decline threshold in use: ANSWER_MIN_CONFIDENCE, else the trained scorer's. */
function minConfidenceOf(engine: AnswerEngine): number {
  return engine.config.minConfidence ?? answerScorer().declineBelow;
}

/**
 * A public QA file, SQuAD-shaped (e.g. ../shared/qa/squad2-dev) or a WikiQA TSV: its articles become one corpus,
 * written to `corpusDir`; unanswerable questions must be declined.
 */
export async function loadQaSet(file: string, corpusDir: string, limit = Infinity): Promise<EvalSet & { articlesDir: string }> {
  const articles = /\.tsv(\.gz)?$/.test(file) ? await readWikiQa(file) : await readSquad(file);
  await writeQaCorpus(articles, corpusDir);
  const questions = articles.flatMap((a) => a.paragraphs.flatMap((p) => p.questions));
  // An even spread when only part of the set is asked (`limit`): every article, both kinds.
  const step = Math.max(1, Math.floor(questions.length / Math.min(limit, questions.length)));
  const asked = questions.filter((_, i) => i % step === 0).slice(0, limit);
  return {
    answerable: asked.filter((q) => q.answers.length).map((q) => ({ question: q.question, expect: q.answers })),
    offTopic: asked.filter((q) => !q.answers.length).map((q) => ({ question: q.question })),
    articlesDir: corpusDir,
  };
}

/** Case and spacing do not matter: "Kremlin aide" is found by "kremlin  aide". */
const comparable = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();

/** Rank of the first excerpt holding an expected string, in its quote or the citation it carries (title, publisher, authors); -1 if none. */
export function hitRank(answer: Answer, expect: string[]): number {
  const wanted = expect.map(comparable);
  return answer.excerpts.findIndex((excerpt) => {
    const source = answer.sources.find((s) => s.n === excerpt.source);
    const haystack = comparable([excerpt.quote, source?.title, source?.publisher, ...(source?.authors ?? [])].filter(Boolean).join('\n'));
    return wanted.some((w) => haystack.includes(w));
  });
}

export async function evaluate(engine: AnswerEngine, set: EvalSet, modes: RetrievalMode[] = ['dense', 'lexical', 'hybrid']): Promise<EvalReport> {
  const reports: ModeReport[] = [];
  for (const mode of modes) {
    const latencies: number[] = [];
    let hit1 = 0,
      hit3 = 0,
      reciprocal = 0,
      falseRefusals = 0,
      refused = 0;
    const misses: ModeReport['misses'] = [];
    for (const item of set.answerable) {
      const answer = await ask(engine, item.question, mode);
      latencies.push(answer.timings.totalMs);
      if (!answer.answered) falseRefusals++;
      const rank = hitRank(answer, item.expect);
      if (rank === 0) hit1++;
      if (rank >= 0 && rank < 3) hit3++;
      if (rank >= 0) reciprocal += 1 / (rank + 1);
      if (rank !== 0) misses.push({ kind: answer.answered ? 'missed' : 'declined', question: item.question, got: answer.excerpts[0]?.quote ?? null });
    }
    for (const item of set.offTopic) {
      const answer = await ask(engine, item.question, mode);
      latencies.push(answer.timings.totalMs);
      if (!answer.answered) refused++;
      else misses.push({ kind: 'answered', question: item.question, got: answer.excerpts[0]?.quote ?? null });
    }
    const n = set.answerable.length;
    reports.push({
      mode,
      hitAt1: hit1 / n,
      hitAt3: hit3 / n,
      mrr: reciprocal / n,
      offTopicRefusal: set.offTopic.length ? refused / set.offTopic.length : 1,
      falseRefusals: falseRefusals / n,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      misses,
    });
  }
  return {
    model: engine.embedder.modelId,
    declineBelow: minConfidenceOf(engine),
    questions: { answerable: set.answerable.length, offTopic: set.offTopic.length },
    modes: reports,
  };
}

/** One table for several runs: set × model × mode. */
export function formatReports(reports: (EvalReport & { set: string })[]): string {
  const pct = (x: number) => x.toFixed(2);
  const rows = [
    ['set', 'model', 'decline below', 'mode', 'hit@1', 'hit@3', 'MRR', 'declined', 'false refusals', 'p50 ms', 'p95 ms'],
    ...reports.flatMap((r) =>
      r.modes.map((m) => [
        r.set,
        r.model,
        r.declineBelow.toFixed(3),
        m.mode,
        pct(m.hitAt1),
        pct(m.hitAt3),
        m.mrr.toFixed(3),
        pct(m.offTopicRefusal),
        pct(m.falseRefusals),
        m.p50Ms.toFixed(1),
        m.p95Ms.toFixed(1),
      ]),
    ),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  const counts = [...new Map(reports.map((r) => [r.set, `${r.set}: ${r.questions.answerable} answerable + ${r.questions.offTopic} not covered`])).values()];
  return [counts.join('; '), line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
