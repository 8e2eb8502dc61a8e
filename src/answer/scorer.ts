// The answer scorer: the probability that a candidate sentence answers the question, from the features of
// features.ts. A gradient-boosted tree ensemble (or a logistic model) trained on public QA data by
// scripts/train/train_scorer.py and shipped as JSON in models/answer-scorer.json; evaluated here in plain TypeScript,
// so it needs no runtime of its own and works with any embedding model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURES } from './features.js';

/** One tree as parallel arrays: node i splits on feature[i] < threshold[i] (yes → left[i], no → right[i]), or is a leaf (feature -1) worth value[i]. */
interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

interface ScorerFile {
  format: 1;
  kind: 'trees' | 'linear';
  features: string[];
  base: number;
  trees?: Tree[];
  linear?: { mean: number[]; scale: number[]; weights: number[] };
  /** Platt scaling of the best sentence's log-odds: the chance that the first quote answers the question. */
  calibration: { a: number; b: number };
  /** Decline when that chance is below this (chosen on validation questions; see the README). */
  declineBelow: number;
  /** What training measured: on training questions, and on validation questions of other articles. */
  metrics?: {
    train: { hit1: number };
    validation: { hit1: number; declined: number; false_refusals: number; answerable: number; unanswerable: number };
  };
  about: string;
}

export const DEFAULT_SCORER_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/answer-scorer.json');

export class AnswerScorer {
  private constructor(private readonly model: ScorerFile) {}

  /** Reads and checks a trained scorer: its features must be the ones this code computes, in order. */
  static load(file = DEFAULT_SCORER_FILE): AnswerScorer {
    let model: unknown;
    try {
      model = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(
        `Cannot read the answer scorer ${file}: ${(error as Error).message}. Rebuild it with npm run train (see README, "How answers are chosen").`,
      );
    }
    return AnswerScorer.from(model, file, FEATURES);
  }

  /** A scorer read from `source` (for messages), checked against the features its caller computes. */
  static from(data: unknown, source: string, features: readonly string[], rebuild = 'npm run train'): AnswerScorer {
    const model = data as ScorerFile;
    const sameFeatures = Array.isArray(model?.features) && model.features.length === features.length && model.features.every((f, i) => f === features[i]);
    const shaped =
      model?.format === 1 &&
      typeof model.base === 'number' &&
      typeof model.declineBelow === 'number' &&
      typeof model.calibration?.a === 'number' &&
      (model.kind === 'trees' ? Array.isArray(model.trees) : model.kind === 'linear' && Array.isArray(model.linear?.weights));
    if (!sameFeatures || !shaped) throw new Error(`${source} is not an answer scorer for this version (features or shape differ). Rebuild it with ${rebuild}.`);
    return new AnswerScorer(model);
  }

  /** Log-odds that the sentence with these features answers the question. */
  logit(features: Float64Array): number {
    const { model } = this;
    let sum = model.base;
    if (model.kind === 'linear') {
      const { mean, scale, weights } = model.linear!;
      for (let i = 0; i < weights.length; i++) sum += weights[i]! * ((features[i]! - mean[i]!) / scale[i]!);
      return sum;
    }
    for (const tree of model.trees!) {
      let node = 0;
      while (tree.feature[node]! >= 0) node = features[tree.feature[node]!]! < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      sum += tree.value[node]!;
    }
    return sum;
  }

  /** The chance that a quote whose sentence scored `logit` answers the question (calibrated on held-out questions). */
  confidence(logit: number): number {
    const { a, b } = this.model.calibration;
    return 1 / (1 + Math.exp(-(a * logit + b)));
  }

  /** One line on what the scorer is and how it did in training, for eval reports. */
  describe(): string {
    const { kind, metrics } = this.model;
    if (!metrics) return `Answer scorer: ${kind} (no training figures in the file)`;
    const v = metrics.validation;
    return (
      `Answer scorer: ${kind}, learned from SQuAD. Train questions hit@1 ${metrics.train.hit1.toFixed(2)}; validation (${v.answerable} + ${v.unanswerable} ` +
      `questions on other articles) hit@1 ${v.hit1.toFixed(2)}, no answer declined ${v.declined.toFixed(2)}, false refusals ${v.false_refusals.toFixed(2)} ` +
      `at decline below ${this.model.declineBelow}.`
    );
  }

  /** Its training figures for ordering alone (a scorer that only re-orders). */
  describeOrder(): string {
    const { metrics } = this.model;
    return metrics ? `validation hit@1 ${metrics.validation.hit1.toFixed(3)} (train ${metrics.train.hit1.toFixed(3)})` : 'no training figures in the file';
  }

  get declineBelow(): number {
    return this.model.declineBelow;
  }
}

let shared: AnswerScorer | null = null;
/** The shipped scorer, read once. */
export function answerScorer(): AnswerScorer {
  shared ??= AnswerScorer.load();
  return shared;
}
