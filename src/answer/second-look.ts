// The answer scorer's second look. The first look (scorer.ts: trees over every candidate sentence) is fast but sees a
// sentence as counts and averages; the neural pair model (pair-model.ts) aligns each question word with the
// sentence's words but costs about half a millisecond a sentence. So the pair model reads only the first look's best
// few, and trees trained on exactly those few (scripts/train/train_second_look.py) re-order them from the first
// look's features and how far each one's pair score stands below the best of the few. It only orders: whether to
// answer stays the first look's calibrated decision (quotes.ts). Shipped as one file, models/answer-second-look.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURES } from './features.js';
import { PairModel, type PairModelFile } from './pair-model.js';
import { AnswerScorer } from './scorer.js';

export const DEFAULT_SECOND_LOOK_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/answer-second-look.json');

/** The first look's features, then how far the pair model's log-odds stand below the best of the few. */
export const SECOND_LOOK_FEATURES = [...FEATURES, 'pair_rel'] as const;

interface SecondLookFile {
  format: 1;
  /** How many of the first look's best sentences get the second look. */
  top: number;
  pair: PairModelFile;
  scorer: unknown;
}

/** A sentence the first look ranked, with its features and its text. */
export interface FirstLook {
  features: Float64Array;
  text: string;
}

export class SecondLook {
  private constructor(
    readonly top: number,
    readonly pair: PairModel,
    readonly scorer: AnswerScorer,
  ) {}

  static load(file = DEFAULT_SECOND_LOOK_FILE): SecondLook {
    const rebuild = 'npm run train:pair && npm run train:second-look';
    const advice = `Rebuild it with ${rebuild} (see README, "How answers are chosen").`;
    let data: SecondLookFile;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as SecondLookFile;
    } catch (error) {
      throw new Error(`Cannot read the answer scorer's second look ${file}: ${(error as Error).message}. ${advice}`);
    }
    if (data?.format !== 1 || !Number.isInteger(data.top) || data.top < 1 || typeof data.pair?.weights !== 'object')
      throw new Error(`${file} is not a second look for this version. ${advice}`);
    let pair: PairModel;
    try {
      pair = new PairModel(data.pair);
    } catch (error) {
      throw new Error(`${file}: the pair model does not load (${(error as Error).message}). ${advice}`);
    }
    return new SecondLook(data.top, pair, AnswerScorer.from(data.scorer, file, SECOND_LOOK_FEATURES, rebuild));
  }

  /** For the first look's best `top` sentences (ranked best first), the second look's scores: higher leads. */
  logits(question: string, best: FirstLook[]): number[] {
    const few = best.slice(0, this.top);
    const pair = this.pair.logits(
      question,
      few.map((s) => s.text),
    );
    const bestPair = Math.max(...pair);
    return few.map((s, i) => {
      const features = new Float64Array(SECOND_LOOK_FEATURES.length);
      features.set(s.features);
      features[FEATURES.length] = pair[i]! - bestPair;
      return this.scorer.logit(features);
    });
  }

  /** What training measured, for eval reports. */
  describe(): string {
    return `Second look: pair model and trees over the first look's best ${this.top}; ${this.scorer.describeOrder()}. It re-orders them; the first look decides whether to answer.`;
  }
}

let shared: SecondLook | null = null;
/** The shipped second look, read once. */
export function secondLook(): SecondLook {
  shared ??= SecondLook.load();
  return shared;
}
