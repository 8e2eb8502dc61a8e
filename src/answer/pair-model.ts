// A small neural pair model (question, sentence) → log-odds that the sentence answers: compare-aggregate over the
// shipped word vectors (scripts/train/train_pair.py, trained on SQuAD). Each question word is aligned with the
// sentence's words and the pairs are compared by learned layers, so it weighs which words matter and how well each
// is matched, where the trees see counts and averages; it is slower, so it only takes a second look at the trees'
// best few sentences (second-look.ts). Plain TypeScript, exact to the PyTorch
// forward pass (the file carries pairs with their logits, checked by the tests).
import { type WordVectors, wordVectors } from './word-vectors.js';

/** The trained layers, as PyTorch's state dict names them (weight: [out][in]). */
export interface PairWeights {
  'inp.weight': number[][];
  'inp.bias': number[];
  'cmp.weight': number[][];
  'cmp.bias': number[];
  'head1.weight': number[][];
  'head1.bias': number[];
  'head2.weight': number[][];
  'head2.bias': number[];
}

export interface PairModelFile {
  format: 1;
  maxQuestion: number;
  maxSentence: number;
  hidden: number;
  /** Pairs with the logit PyTorch computed: the forward pass here must reproduce them. */
  checks: { question: string; sentence: string; logit: number }[];
  weights: PairWeights;
}

interface Dense {
  weight: Float64Array;
  bias: Float64Array;
  inputs: number;
  outputs: number;
}

function dense(weight: number[][], bias: number[]): Dense {
  const outputs = weight.length;
  const inputs = weight[0]?.length ?? 0;
  if (bias.length !== outputs || weight.some((row) => row.length !== inputs)) throw new Error('a layer has rows of different lengths');
  return { weight: Float64Array.from(weight.flat()), bias: Float64Array.from(bias), inputs, outputs };
}

/** out = relu?(W · x + b) */
function apply(layer: Dense, x: Float64Array, relu: boolean): Float64Array {
  const out = new Float64Array(layer.outputs);
  for (let o = 0, w = 0; o < layer.outputs; o++) {
    let sum = layer.bias[o]!;
    for (let i = 0; i < layer.inputs; i++, w++) sum += layer.weight[w]! * x[i]!;
    out[o] = relu && sum < 0 ? 0 : sum;
  }
  return out;
}

/** Words as the trainer reads them: NFKD, marks dropped, lower case, runs of letters and digits. */
export function pairTokens(text: string, limit: number): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, limit);
  return words.length > 0 ? words : ['.'];
}

/** A word as one side of a pair sees it: after the shared input layer, with the compare layer's linear parts for it. */
interface ReadWord {
  /** Its vector (zeros when the vectors do not know it). */
  vector: Float32Array;
  /** Whether the other side of the pair has the same word. */
  shared: boolean;
  /** After the shared input layer (relu), with the `shared` flag. */
  projected: Float64Array;
  /** The compare layer's weights for "the question word" times it: computed when it is first read as a question word. */
  asQuestion?: Float64Array;
  /** The compare layer's weights for "what it aligned to" times it (attention mixes these): computed when it is first read as a sentence word. */
  asAligned?: Float64Array;
}

export class PairModel {
  private readonly inp: Dense;
  private readonly cmp: Dense;
  private readonly head1: Dense;
  private readonly head2: Dense;
  private readonly zero: Float32Array;

  constructor(
    private readonly file: PairModelFile,
    private readonly vectors: WordVectors = wordVectors(),
  ) {
    const w = file.weights;
    this.inp = dense(w['inp.weight'], w['inp.bias']);
    this.cmp = dense(w['cmp.weight'], w['cmp.bias']);
    this.head1 = dense(w['head1.weight'], w['head1.bias']);
    this.head2 = dense(w['head2.weight'], w['head2.bias']);
    this.zero = new Float32Array(vectors.dims);
    const hidden = file.hidden;
    if (
      this.inp.inputs !== vectors.dims + 2 ||
      this.inp.outputs !== hidden ||
      this.cmp.inputs !== 4 * hidden + 2 ||
      this.head1.inputs !== 3 * hidden ||
      this.head2.outputs !== 1
    )
      throw new Error(`its layers do not fit ${vectors.dims}-dimensional word vectors and ${hidden} hidden units`);
  }

  /**
   * Log-odds that the sentence answers the question, for each sentence. A word reads the same in every pair but for
   * whether the other side has it, so each (word, flag) is projected once per call, with the compare layer's linear
   * parts for it: per pair only the element-wise terms (product, difference) cost a full layer.
   */
  logits(question: string, sentences: string[]): number[] {
    const seen = new Map<string, ReadWord>();
    const read = (word: string, shared: boolean) => {
      const key = `${shared ? 1 : 0}${word}`;
      let found = seen.get(key);
      if (!found) {
        found = this.read(word, shared);
        seen.set(key, found);
      }
      return found;
    };
    const qWords = pairTokens(question, this.file.maxQuestion);
    const qSet = new Set(qWords);
    return sentences.map((text) => {
      const sWords = pairTokens(text, this.file.maxSentence);
      const sSet = new Set(sWords);
      const q = qWords.map((w) => read(w, sSet.has(w)));
      const s = sWords.map((w) => read(w, qSet.has(w)));
      for (const word of q) word.asQuestion ??= this.block(0, word.projected);
      for (const word of s) word.asAligned ??= this.block(1, word.projected);
      return this.compare(q, s);
    });
  }

  private read(word: string, shared: boolean): ReadWord {
    const row = this.vectors.row(word);
    const vector = row < 0 ? this.zero : this.vectors.vector(row);
    const x = new Float64Array(vector.length + 2);
    x.set(vector);
    x[vector.length] = row < 0 ? 1 : 0;
    x[vector.length + 1] = shared ? 1 : 0;
    const projected = apply(this.inp, x, true);
    return { vector, shared, projected };
  }

  /** The compare layer's `part`-th block of columns (0: the question word, 1: what it aligned to) times x. */
  private block(part: number, x: Float64Array): Float64Array {
    const hidden = this.file.hidden;
    const { weight, inputs } = this.cmp;
    const out = new Float64Array(hidden);
    for (let o = 0; o < hidden; o++) {
      let sum = 0;
      for (let h = 0, w = o * inputs + part * hidden; h < hidden; h++, w++) sum += weight[w]! * x[h]!;
      out[o] = sum;
    }
    return out;
  }

  private compare(q: ReadWord[], s: ReadWord[]): number {
    const hidden = this.file.hidden;
    const { weight, bias, inputs } = this.cmp;
    const mean = new Float64Array(hidden);
    const max = new Float64Array(hidden).fill(-Infinity);
    const min = new Float64Array(hidden).fill(Infinity);
    const attention = new Float64Array(s.length);
    const beta = new Float64Array(hidden);
    const pre = new Float64Array(hidden);
    const product = new Float64Array(hidden);
    const difference = new Float64Array(hidden);
    for (let i = 0; i < q.length; i++) {
      const a = q[i]!.projected;
      // Attention of this question word over the sentence's words.
      let top = -Infinity;
      for (let j = 0; j < s.length; j++) {
        attention[j] = dot(a, s[j]!.projected);
        if (attention[j]! > top) top = attention[j]!;
      }
      let total = 0;
      for (let j = 0; j < s.length; j++) {
        attention[j] = Math.exp(attention[j]! - top);
        total += attention[j]!;
      }
      beta.fill(0);
      pre.set(q[i]!.asQuestion!);
      for (let j = 0; j < s.length; j++) {
        const weightJ = attention[j]! / total;
        const b = s[j]!.projected;
        const asAligned = s[j]!.asAligned!;
        for (let h = 0; h < hidden; h++) {
          beta[h]! += weightJ * b[h]!;
          pre[h]! += weightJ * asAligned[h]!;
        }
      }
      let cosine = -1;
      for (const word of s) cosine = Math.max(cosine, dot(q[i]!.vector, word.vector));
      for (let h = 0; h < hidden; h++) {
        product[h] = a[h]! * beta[h]!;
        difference[h] = Math.abs(a[h]! - beta[h]!);
      }
      const flag = q[i]!.shared ? 1 : 0;
      for (let o = 0; o < hidden; o++) {
        const row = o * inputs;
        let sum = bias[o]! + pre[o]! + weight[row + 4 * hidden]! * flag + weight[row + 4 * hidden + 1]! * Math.max(0, cosine);
        for (let h = 0, w = row + 2 * hidden; h < hidden; h++, w++) sum += weight[w]! * product[h]! + weight[w + hidden]! * difference[h]!;
        const v = Math.max(sum, 0);
        mean[o]! += v / q.length;
        if (v > max[o]!) max[o] = v;
        if (v < min[o]!) min[o] = v;
      }
    }
    const pooled = new Float64Array(3 * hidden);
    pooled.set(mean);
    pooled.set(max, hidden);
    pooled.set(min, 2 * hidden);
    return apply(this.head2, apply(this.head1, pooled, true), false)[0]!;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
