// ANSWER_MODEL: a cross-encoder (question and sentence read together, one relevance logit per pair) that re-orders
// the built-in scorer's best candidate sentences. Off unless the setting names a model.
import { AutoModelForSequenceClassification, AutoTokenizer, type Tensor } from '@xenova/transformers';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CoreConfig } from '../config.js';
import { configureRuntime } from '../embed/embedder.js';
import type { LoadedIndex } from '../store/types.js';
import { sentenceText } from './quotes.js';
import { reorderHead } from './reorder.js';

/** How many of the built-in scorer's best sentences the cross-encoder re-orders; the rest keep their order. */
export const RERANK_TOP = 10;
/** (question, sentence) pairs per model call: each batch is padded to its own longest pair. */
const BATCH_SIZE = 16;

export class RerankerModelError extends Error {
  override name = 'RerankerModelError';
}

export interface Reranker {
  readonly model: string;
  /** The cross-encoder's relevance logit of each (question, sentence) pair, in the order of `sentences`: uncalibrated. */
  score(question: string, sentences: string[]): Promise<number[]>;
}

type Encode = (text: string[], options: { text_pair: string[]; padding: boolean; truncation: boolean }) => Record<string, Tensor>;
type Classify = (inputs: Record<string, Tensor>) => Promise<{ logits?: Tensor }>;

/** The cross-encoder ANSWER_MODEL names, or null when it names none. Loads with the embedding model's folder, cache and quantization. */
export async function loadReranker(config: Pick<CoreConfig, 'answer' | 'embedding'>): Promise<Reranker | null> {
  const model = config.answer.rerankModel;
  if (!model) return null;
  configureRuntime(config.embedding);
  let encode: Encode;
  let classify: Classify;
  try {
    encode = (await AutoTokenizer.from_pretrained(model)) as unknown as Encode;
    classify = (await AutoModelForSequenceClassification.from_pretrained(model, { quantized: config.embedding.quantized })) as unknown as Classify;
  } catch (error) {
    throw new RerankerModelError(describeLoadFailure(config, model, (error as Error).message));
  }

  async function scoreBatch(question: string, sentences: string[]): Promise<number[]> {
    const { logits } = await classify(encode(Array(sentences.length).fill(question), { text_pair: sentences, padding: true, truncation: true }));
    const [rows, labels] = (logits?.dims ?? []) as number[];
    if (!logits || rows !== sentences.length || !labels || labels > 2)
      throw new RerankerModelError(
        `ANSWER_MODEL "${model}" is not a cross-encoder: it must return one or two logits per (question, sentence) pair (got ${logits ? `logits of shape [${logits.dims.join(', ')}]` : 'no logits'}).`,
      );
    const data = logits.data as Float32Array;
    // One label: the relevance logit. Two (not relevant, relevant): their difference, the log-odds of relevant.
    return Array.from({ length: rows }, (_, r) => (labels === 1 ? data[r]! : data[2 * r + 1]! - data[2 * r]!));
  }

  const reranker: Reranker = {
    model,
    async score(question, sentences) {
      const scores: number[] = [];
      for (let b = 0; b < sentences.length; b += BATCH_SIZE) scores.push(...(await scoreBatch(question, sentences.slice(b, b + BATCH_SIZE))));
      return scores;
    },
  };
  // A model that loads but is no cross-encoder (an embedding model, say) is refused now, not at the first question.
  try {
    await reranker.score('probe question', ['probe sentence.']);
  } catch (error) {
    if (error instanceof RerankerModelError) throw error;
    throw new RerankerModelError(`ANSWER_MODEL "${model}" loaded but could not score a (question, sentence) pair: ${(error as Error).message.split('\n')[0]}`);
  }
  return reranker;
}

function describeLoadFailure(config: Pick<CoreConfig, 'embedding'>, model: string, cause: string): string {
  const { localModelDir, quantized, cacheDir } = config.embedding;
  const folder = localModelDir ? path.join(localModelDir, model) : null;
  const where = folder
    ? `in the local model folder ${folder}${existsSync(folder) ? ` (the folder exists but is incomplete: it needs config.json, tokenizer.json and onnx/model${quantized ? '_quantized' : ''}.onnx)` : ' (no such folder)'}`
    : `on the Hugging Face hub and in the cache ${cacheDir}`;
  return [
    `Could not load the answer model (ANSWER_MODEL) "${model}" ${where}.`,
    `Cause: ${cause.split('\n')[0]}`,
    'ANSWER_MODEL must name a transformers.js cross-encoder (text classification with one relevance logit), such as Xenova/ms-marco-MiniLM-L-6-v2.',
    `Offline, put it in MODEL_DIR (MODEL_DIR/${model}/config.json, tokenizer.json, onnx/model_quantized.onnx), or leave ANSWER_MODEL empty to answer with the built-in scorer alone.`,
  ].join('\n');
}

/** The fields of a ranked sentence the reranker reads and keeps (src/answer/quotes.ts ScoredSentence). */
interface Ranked {
  article: number;
  sentence: number;
  score: number;
  confidence: number;
}

/**
 * Re-orders the first RERANK_TOP sentences of `ranked` (best first, by the built-in scorer) by the cross-encoder's
 * score, in place; the rest keep their places. Each of those ranks keeps the built-in score and calibrated confidence
 * it had, so what depends on them (whether to answer at all, `confidence`, how many supporting quotes reach the bar)
 * is exactly what it is without the reranker: the reranker decides only which sentence fills which rank. Returns the
 * milliseconds spent.
 */
export async function rerankTop<T extends Ranked>(reranker: Reranker, index: LoadedIndex, question: string, ranked: T[]): Promise<number> {
  const started = performance.now();
  const head = ranked.slice(0, RERANK_TOP);
  if (head.length > 1)
    reorderHead(
      ranked,
      await reranker.score(
        question,
        head.map((s) => sentenceText(index, s)),
      ),
    );
  return performance.now() - started;
}
