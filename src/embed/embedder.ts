// The only module that touches @xenova/transformers: tokenizer, model, pooling.
import { AutoModel, AutoTokenizer, env, pipeline } from '@xenova/transformers';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddingConfig } from '../config.js';

export class EmbeddingModelError extends Error {
  override name = 'EmbeddingModelError';
}

export interface PassageInput {
  text: string;
  /**
   * Token counts of the consecutive pieces (sentences) the text is made of, from `countTokens`.
   * Each piece gets its own vector, pooled from the same forward pass as the passage, so
   * sentence vectors carry the passage's context at no extra model cost.
   */
  pieceTokens?: number[];
}

export interface PassageEmbedding {
  vector: Float32Array;
  pieces: Float32Array[];
}

export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** Largest input the model takes, in tokens, special tokens included. */
  readonly maxInputTokens: number;
  /** Word-pieces per text, without special tokens or prefixes. */
  countTokens(texts: string[]): number[];
  embedQuery(text: string): Promise<Float32Array>;
  embedPassages(passages: PassageInput[], onProgress?: (done: number) => void): Promise<PassageEmbedding[]>;
  /**
   * The benchmark reference: tokenizes `texts` into the same length-sorted batches as `embedPassages`
   * (of `batchSize`, default the configured one), then returns the seconds spent in the ONNX session's
   * own `run` alone: no tokenizing, pooling or JS around it.
   */
  modelOnlySeconds(texts: string[], batchSize?: number): Promise<number>;
}

interface Tensor {
  data: Float32Array | BigInt64Array;
  dims: number[];
}
type Encoded = Record<string, Tensor> & { input_ids: Tensor; attention_mask: Tensor };
interface Tokenizer {
  (texts: string[], options: { padding: boolean; truncation: boolean; max_length?: number }): Encoded;
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
  model_max_length: number;
}
interface Model {
  (inputs: Encoded): Promise<Record<string, Tensor>>;
  session: { inputNames: string[]; run(feeds: Record<string, Tensor>): Promise<unknown> };
  config: { hidden_size?: number; max_position_embeddings?: number };
}

export async function loadEmbedder(config: EmbeddingConfig): Promise<Embedder> {
  configureRuntime(config);
  let tokenizer: Tokenizer;
  let model: Model;
  try {
    tokenizer = (await AutoTokenizer.from_pretrained(config.model)) as unknown as Tokenizer;
    model = (await AutoModel.from_pretrained(config.model, { quantized: config.quantized })) as unknown as Model;
  } catch (error) {
    throw new EmbeddingModelError(describeLoadFailure(config, error as Error));
  }
  const maxInputTokens = Math.min(tokenizer.model_max_length || 512, model.config.max_position_embeddings ?? 512, 512);
  const passagePrefixTokens = countRaw(tokenizer, config.passagePrefix);

  // transformers.js pads every text to `max_length` when one is given (512 here: 3-10x the compute of a
  // typical chunk), so give it the batch's own longest input, capped at what the model takes.
  const specialTokens = tokenizer.encode('x', null, { add_special_tokens: true }).length - 1;
  async function forward(texts: string[], longestRawTokens: number): Promise<{ hidden: Float32Array; mask: BigInt64Array; seq: number; width: number }> {
    const max_length = Math.min(maxInputTokens, longestRawTokens + specialTokens);
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length });
    const output = await model(inputs);
    const hidden = output.last_hidden_state ?? Object.values(output)[0]!;
    const [, seq, width] = hidden.dims as [number, number, number];
    return { hidden: hidden.data as Float32Array, mask: inputs.attention_mask.data as BigInt64Array, seq, width };
  }

  const probe = await forward(['dimension probe'], countRaw(tokenizer, 'dimension probe'));
  const dimensions = probe.width;

  return {
    modelId: config.model,
    dimensions,
    maxInputTokens,
    countTokens: (texts) => texts.map((t) => countRaw(tokenizer, t)),

    async embedQuery(text) {
      const input = config.queryPrefix + text;
      const { hidden, mask, seq, width } = await forward([input], countRaw(tokenizer, input));
      return meanPool(hidden, mask, 0, seq, width, 0, seq);
    },

    async embedPassages(passages, onProgress) {
      const results: PassageEmbedding[] = new Array(passages.length);
      const lengths = passages.map((p) => countRaw(tokenizer, config.passagePrefix + p.text));
      // Similar lengths share a batch so padding wastes little compute.
      const order = passages.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
      let done = 0;
      for (let b = 0; b < order.length; b += config.batchSize) {
        const batch = order.slice(b, b + config.batchSize);
        const longest = lengths[batch[batch.length - 1]!]!;
        const { hidden, mask, seq, width } = await forward(batch.map((i) => config.passagePrefix + passages[i]!.text), longest);
        batch.forEach((passageIndex, row) => {
          const vector = meanPool(hidden, mask, row, seq, width, 0, seq);
          const pieces = piecesOf(passages[passageIndex]!.pieceTokens ?? [], passagePrefixTokens, seq).map(([from, to]) =>
            to > from ? meanPool(hidden, mask, row, seq, width, from, to) : vector,
          );
          results[passageIndex] = { vector, pieces };
        });
        done += batch.length;
        onProgress?.(done);
      }
      return results;
    },

    async modelOnlySeconds(texts, batchSize = config.batchSize) {
      const order = texts.map((t) => ({ t: config.passagePrefix + t, n: countRaw(tokenizer, config.passagePrefix + t) })).sort((a, b) => a.n - b.n);
      const feeds: Record<string, Tensor>[] = [];
      for (let b = 0; b < order.length; b += batchSize) {
        const batch = order.slice(b, b + batchSize);
        const max_length = Math.min(maxInputTokens, batch[batch.length - 1]!.n + specialTokens);
        const inputs = tokenizer(batch.map((x) => x.t), { padding: true, truncation: true, max_length });
        feeds.push(Object.fromEntries(model.session.inputNames.map((name) => [name, inputs[name]!])));
      }
      const started = performance.now();
      for (const feed of feeds) await model.session.run(feed);
      return (performance.now() - started) / 1000;
    },
  };

}

function configureRuntime(config: EmbeddingConfig): void {
  env.cacheDir = config.cacheDir;
  if (config.localModelDir) {
    env.localModelPath = config.localModelDir;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    env.allowRemoteModels = true;
  }
}

function describeLoadFailure(config: EmbeddingConfig, error: Error): string {
  const where = config.localModelDir
    ? `in the local model folder ${path.join(config.localModelDir, config.model)}${existsSync(path.join(config.localModelDir, config.model)) ? ' (the folder exists but is incomplete: it needs config.json, tokenizer.json and onnx/model' + (config.quantized ? '_quantized' : '') + '.onnx)' : ' (no such folder)'}`
    : `on the Hugging Face hub and in the cache ${config.cacheDir}`;
  return [
    `Could not load the embedding model "${config.model}" ${where}.`,
    `Cause: ${error.message.split('\n')[0]}`,
    'To run offline, set MODEL_DIR to a folder holding the model in transformers.js layout',
    `(MODEL_DIR/${config.model}/config.json, tokenizer.json, onnx/model_quantized.onnx), or set EMBEDDING_MODEL to a model that folder has.`,
  ].join('\n');
}

function countRaw(tokenizer: Tokenizer, text: string): number {
  return text ? tokenizer.encode(text, null, { add_special_tokens: false }).length : 0;
}

/**
 * Token ranges of each piece in the model input: [CLS] + prefix + piece tokens..., clipped where
 * truncation cut the passage. BERT-style tokenizers split on whitespace, so the pieces' own counts add up.
 */
function piecesOf(pieceTokens: number[], prefixTokens: number, seq: number): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 1 + prefixTokens;
  const last = seq - 1;
  for (const count of pieceTokens) {
    ranges.push([Math.min(from, last), Math.min(from + count, last)]);
    from += count;
  }
  return ranges;
}

/** Mean of the unmasked token vectors in [from, to) of one row, L2-normalised; one tight loop, no temporaries. */
function meanPool(hidden: Float32Array, mask: BigInt64Array, row: number, seq: number, width: number, from: number, to: number): Float32Array {
  const out = new Float32Array(width);
  let count = 0;
  for (let t = from; t < to; t++) {
    if (mask[row * seq + t] === 0n) continue;
    count++;
    const offset = (row * seq + t) * width;
    for (let d = 0; d < width; d++) out[d]! += hidden[offset + d]!;
  }
  let norm = 0;
  for (let d = 0; d < width; d++) norm += out[d]! * out[d]!;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < width; d++) out[d]! /= norm;
  return out;
}

/**
 * The naive path, for benchmarks only: one transformers.js `pipeline()` call per text with its own
 * pooling (what vectra's LocalEmbeddings does). Returns texts per second.
 */
export async function naivePipelineThroughput(config: EmbeddingConfig, texts: string[]): Promise<number> {
  configureRuntime(config);
  const extract = await pipeline('feature-extraction', config.model, { quantized: config.quantized });
  await extract('warm up', { pooling: 'mean', normalize: true });
  const started = performance.now();
  for (const text of texts) await extract(config.passagePrefix + text, { pooling: 'mean', normalize: true });
  return texts.length / ((performance.now() - started) / 1000);
}
