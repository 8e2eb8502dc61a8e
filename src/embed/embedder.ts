// The embedding model: tokenizer, model, pooling. With src/answer/reranker.ts (ANSWER_MODEL), the only module that touches @xenova/transformers.
import { AutoModel, AutoTokenizer, Tensor, env, pipeline } from '@xenova/transformers';
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import type { EmbeddingConfig } from '../config.js';

/** How long embedding passages may hold the event loop before it lets other work in. */
const YIELD_EVERY_MS = 10;

/** Index of an int64's low 32-bit word in an Int32Array view of it. */
const LOW_WORD = endianness() === 'LE' ? 0 : 1;

export class EmbeddingModelError extends Error {
  override name = 'EmbeddingModelError';
}

export interface PassageInput {
  text: string;
  /**
   * Word-piece ids of the consecutive pieces (sentences) the text is made of, from `tokenize`. The passage's
   * model input is assembled from them (no second tokenization), and each piece gets its own vector, pooled
   * from the same forward pass as the passage, so sentence vectors carry context at no extra model cost.
   */
  pieces?: number[][];
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
  /** Word-pieces of passage text the model sees: its input limit less its special tokens and the passage prefix. */
  readonly maxPassageTokens: number;
  /** Word-piece ids per text, without special tokens or prefixes. */
  tokenize(texts: string[]): number[][];
  /** Word-pieces per text, without special tokens or prefixes. */
  countTokens(texts: string[]): number[];
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * `onProgress` after each batch: passages done, and the share of the work done (batches go shortest first, and a
   * long passage costs more than a short one: the share is what an ETA should use).
   */
  embedPassages(passages: PassageInput[], onProgress?: (done: number, share: number) => void): Promise<PassageEmbedding[]>;
  /**
   * The benchmark reference: builds the same length-sorted token batches as `embedPassages` (of `batchSize`,
   * default the configured one), then returns the seconds spent in the ONNX session's own `run` alone:
   * no tokenizing, pooling or JS around it.
   */
  modelOnlySeconds(texts: string[], batchSize?: number): Promise<number>;
}

interface TensorLike {
  data: Float32Array | BigInt64Array;
  dims: number[];
}
type Inputs = Record<string, Tensor>;
interface Tokenizer {
  encode(text: string, pair: null, options: { add_special_tokens: boolean }): number[];
  model_max_length: number;
  pad_token_id?: number;
}
interface Model {
  session: { inputNames: string[]; run(feeds: Inputs): Promise<unknown> };
  config: { hidden_size?: number; max_position_embeddings?: number };
}

interface Forward {
  hidden: Float32Array;
  seq: number;
  width: number;
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
  const tokenize = (text: string) => (text ? tokenizer.encode(text, null, { add_special_tokens: false }) : []);

  // The special tokens the tokenizer puts around a text ([CLS] … [SEP] for BERT), found from a probe.
  const bare = tokenize('probe');
  const framed = tokenizer.encode('probe', null, { add_special_tokens: true });
  const at = framed.findIndex((_, i) => bare.every((id, k) => framed[i + k] === id));
  const lead = framed.slice(0, at);
  const tail = framed.slice(at + bare.length);
  const padId = tokenizer.pad_token_id ?? 0;
  const needsTokenTypes = model.session.inputNames.includes('token_type_ids');

  /** Model input ids for a text's word-pieces: specials, prefix, then the text, truncated to what the model takes. */
  function inputIds(prefix: number[], body: number[]): number[] {
    const room = maxInputTokens - lead.length - tail.length - prefix.length;
    return [...lead, ...prefix, ...(body.length > room ? body.slice(0, room) : body), ...tail];
  }

  /**
   * One batch, padded (right) to its own longest row only: padding every row to the model's limit, as
   * transformers.js does when given `max_length`, multiplies the compute for typical chunks by 3-10.
   */
  function batchInputs(rows: number[][]): Inputs {
    const seq = Math.max(...rows.map((r) => r.length));
    const dims = [rows.length, seq];
    const ids = new BigInt64Array(rows.length * seq);
    const mask = new BigInt64Array(rows.length * seq);
    // Written through 32-bit views (ids are small and non-negative): a BigInt per token costs more than pooling.
    const idWords = new Int32Array(ids.buffer);
    const maskWords = new Int32Array(mask.buffer);
    if (padId) for (let i = 0; i < ids.length; i++) idWords[2 * i + LOW_WORD] = padId;
    rows.forEach((row, r) => {
      for (let t = 0, i = r * seq; t < row.length; t++, i++) {
        idWords[2 * i + LOW_WORD] = row[t]!;
        maskWords[2 * i + LOW_WORD] = 1;
      }
    });
    const inputs: Inputs = { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', mask, dims) };
    if (needsTokenTypes) inputs.token_type_ids = new Tensor('int64', new BigInt64Array(rows.length * seq), dims);
    return inputs;
  }

  /** The model's inputs for a batch, by the names its ONNX session takes. */
  function feeds(rows: number[][]): Inputs {
    const inputs = batchInputs(rows);
    return Object.fromEntries(model.session.inputNames.map((name) => [name, inputs[name]!]));
  }

  /** Straight to the ONNX session: transformers.js's own forward adds checks and copies we do not need. */
  async function forward(rows: number[][]): Promise<Forward> {
    const output = (await model.session.run(feeds(rows))) as Record<string, TensorLike>;
    const hidden = output.last_hidden_state ?? Object.values(output)[0]!;
    const [, seq, width] = hidden.dims as [number, number, number];
    return { hidden: hidden.data as Float32Array, seq, width };
  }

  const queryPrefix = tokenize(config.queryPrefix);
  const passagePrefix = tokenize(config.passagePrefix);
  const dimensions = (await forward([inputIds([], tokenize('dimension probe'))])).width;

  /** Passage inputs in length order, so similar lengths share a batch and padding wastes little compute. */
  function passageBatches(bodies: number[][], batchSize: number): { rows: number[][]; order: number[] }[] {
    const rows = bodies.map((body) => inputIds(passagePrefix, body));
    const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.length - rows[b]!.length);
    const batches = [];
    for (let b = 0; b < order.length; b += batchSize) {
      const slice = order.slice(b, b + batchSize);
      batches.push({ order: slice, rows: slice.map((i) => rows[i]!) });
    }
    return batches;
  }

  return {
    modelId: config.model,
    dimensions,
    maxInputTokens,
    maxPassageTokens: maxInputTokens - lead.length - tail.length - passagePrefix.length,
    tokenize: (texts) => texts.map(tokenize),
    countTokens: (texts) => texts.map((t) => tokenize(t).length),

    async embedQuery(text) {
      const row = inputIds(queryPrefix, tokenize(text));
      const { hidden, seq, width } = await forward([row]);
      return meanPool(hidden, width, 0, seq, 0, row.length);
    },

    async embedPassages(passages, onProgress) {
      const results: PassageEmbedding[] = new Array(passages.length);
      const bodies = passages.map((p) => (p.pieces ? p.pieces.flat() : tokenize(p.text)));
      let done = 0;
      const batches = passageBatches(bodies, config.batchSize);
      // A batch's cost: its rows times its padded length.
      const cost = (batch: { rows: number[][] }) => batch.rows.length * Math.max(...batch.rows.map((row) => row.length));
      const work = batches.reduce((sum, batch) => sum + cost(batch), 0);
      let worked = 0;
      let since = performance.now();
      for (const batch of batches) {
        // The session's run resolves on the same tick: without a real yield, thousands of batches would hold the
        // event loop for seconds while a bot adds a long article, and no reader's question would get in.
        if (performance.now() - since > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          since = performance.now();
        }
        const { hidden, seq, width } = await forward(batch.rows);
        batch.order.forEach((passageIndex, r) => {
          const length = batch.rows[r]!.length;
          // Pieces start after the specials and prefix; truncation may cut the last ones short or away.
          const contentStart = lead.length + passagePrefix.length;
          const contentEnd = length - tail.length;
          const pieceList = passages[passageIndex]!.pieces ?? [];
          // Each token is summed once: the pieces' sums, plus what lies outside them, make the passage's sum.
          let from = contentStart;
          const sums = pieceList.map((piece) => {
            const start = Math.min(from, contentEnd);
            const end = Math.min(from + piece.length, contentEnd);
            from += piece.length;
            return end > start ? sumRows(hidden, width, r, seq, start, end) : null;
          });
          const covered = Math.min(from, contentEnd);
          const total = sumRows(hidden, width, r, seq, 0, pieceList.length ? contentStart : length);
          if (pieceList.length) addRows(total, hidden, width, r, seq, covered, length);
          for (const sum of sums) if (sum) for (let d = 0; d < width; d++) total[d]! += sum[d]!;
          const vector = normalize(total);
          const pieces = sums.map((sum) => (sum ? normalize(sum) : vector));
          results[passageIndex] = { vector, pieces };
        });
        done += batch.order.length;
        worked += cost(batch);
        onProgress?.(done, worked / work);
      }
      return results;
    },

    async modelOnlySeconds(texts, batchSize = config.batchSize) {
      const batches = passageBatches(texts.map(tokenize), batchSize).map((batch) => feeds(batch.rows));
      const started = performance.now();
      for (const feed of batches) await model.session.run(feed);
      return (performance.now() - started) / 1000;
    },
  };
}

/** Where transformers.js loads models from (MODEL_DIR only, or the hub) and caches them: shared by every model the app loads. */
export function configureRuntime(config: EmbeddingConfig): void {
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
    ? `in the local model folder ${path.join(config.localModelDir, config.model)}${existsSync(path.join(config.localModelDir, config.model)) ? ` (the folder exists but is incomplete: it needs config.json, tokenizer.json and onnx/model${config.quantized ? '_quantized' : ''}.onnx)` : ' (no such folder)'}`
    : `on the Hugging Face hub and in the cache ${config.cacheDir}`;
  return [
    `Could not load the embedding model "${config.model}" ${where}.`,
    `Cause: ${error.message.split('\n')[0]}`,
    'To run offline, set MODEL_DIR to a folder holding the model in transformers.js layout',
    `(MODEL_DIR/${config.model}/config.json, tokenizer.json, onnx/model_quantized.onnx), or set EMBEDDING_MODEL to a model that folder has.`,
  ].join('\n');
}

/** Sum of the token vectors in [from, to) of one row: a mean once normalised (the token count cancels out). */
function sumRows(hidden: Float32Array, width: number, row: number, seq: number, from: number, to: number): Float32Array {
  const out = new Float32Array(width);
  addRows(out, hidden, width, row, seq, from, to);
  return out;
}

function addRows(out: Float32Array, hidden: Float32Array, width: number, row: number, seq: number, from: number, to: number): void {
  let t = from;
  // Four tokens per pass: `out` is read and written a quarter as often.
  for (; t + 4 <= to; t += 4) {
    const o0 = (row * seq + t) * width,
      o1 = o0 + width,
      o2 = o1 + width,
      o3 = o2 + width;
    for (let d = 0; d < width; d++) out[d]! += hidden[o0 + d]! + hidden[o1 + d]! + hidden[o2 + d]! + hidden[o3 + d]!;
  }
  for (; t < to; t++) {
    const offset = (row * seq + t) * width;
    for (let d = 0; d < width; d++) out[d]! += hidden[offset + d]!;
  }
}

/** Scales to unit length, in place. */
function normalize(out: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < out.length; d++) norm += out[d]! * out[d]!;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < out.length; d++) out[d]! /= norm;
  return out;
}

/** Mean of the token vectors in [from, to) of one row (all real tokens), L2-normalised; one tight loop, no temporaries. */
function meanPool(hidden: Float32Array, width: number, row: number, seq: number, from: number, to: number): Float32Array {
  return normalize(sumRows(hidden, width, row, seq, from, to));
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
