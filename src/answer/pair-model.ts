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

interface Side {
  /** Each word's vector (zeros when the vectors do not know it). */
  vectors: Float32Array[];
  /** Each word after the shared input layer. */
  projected: Float64Array[];
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

  /** Log-odds that the sentence answers the question, for each sentence (each word is projected once). */
  logits(question: string, sentences: string[]): number[] {
    const inputs = new Map<string, { vector: Float32Array; input: Float64Array }>();
    const read = (word: string) => {
      let found = inputs.get(word);
      if (!found) {
        found = this.input(word);
        inputs.set(word, found);
      }
      return found;
    };
    const qWords = pairTokens(question, this.file.maxQuestion);
    const qSet = new Set(qWords);
    return sentences.map((text) => {
      const sWords = pairTokens(text, this.file.maxSentence);
      const sSet = new Set(sWords);
      const q = this.side(
        qWords.map(read),
        qWords.map((w) => sSet.has(w)),
      );
      const s = this.side(
        sWords.map(read),
        sWords.map((w) => qSet.has(w)),
      );
      return this.compare(qWords, q, s, sSet);
    });
  }

  /** A word's vector and its input layer's sum before the "the other side has it" flag: the same in every pair. */
  private input(word: string): { vector: Float32Array; input: Float64Array } {
    const row = this.vectors.row(word);
    const vector = row < 0 ? this.zero : this.vectors.vector(row);
    const dims = vector.length;
    const x = new Float64Array(dims + 2);
    x.set(vector);
    x[dims] = row < 0 ? 1 : 0;
    return { vector, input: apply(this.inp, x, false) };
  }

  /** The words after the shared input layer: the flag's weight added, then relu. */
  private side(words: { vector: Float32Array; input: Float64Array }[], shared: boolean[]): Side {
    const flag = this.inp.inputs - 1;
    const projected = words.map((w, k) => {
      const out = new Float64Array(w.input.length);
      for (let o = 0; o < out.length; o++) out[o] = Math.max(0, w.input[o]! + (shared[k] ? this.inp.weight[o * this.inp.inputs + flag]! : 0));
      return out;
    });
    return { vectors: words.map((w) => w.vector), projected };
  }

  private compare(qWords: string[], q: Side, s: Side, sentenceWords: Set<string>): number {
    const hidden = this.file.hidden;
    const mean = new Float64Array(hidden);
    const max = new Float64Array(hidden).fill(-Infinity);
    const min = new Float64Array(hidden).fill(Infinity);
    const scores = new Float64Array(s.projected.length);
    for (let i = 0; i < qWords.length; i++) {
      const a = q.projected[i]!;
      // Attention of this question word over the sentence's words.
      let top = -Infinity;
      for (let j = 0; j < s.projected.length; j++) {
        scores[j] = dot(a, s.projected[j]!);
        if (scores[j]! > top) top = scores[j]!;
      }
      let total = 0;
      for (let j = 0; j < scores.length; j++) {
        scores[j] = Math.exp(scores[j]! - top);
        total += scores[j]!;
      }
      const beta = new Float64Array(hidden);
      for (let j = 0; j < scores.length; j++) {
        const weight = scores[j]! / total;
        const b = s.projected[j]!;
        for (let h = 0; h < hidden; h++) beta[h]! += weight * b[h]!;
      }
      let cosine = -1;
      for (const v of s.vectors) cosine = Math.max(cosine, dot(q.vectors[i]!, v));
      const x = new Float64Array(4 * hidden + 2);
      for (let h = 0; h < hidden; h++) {
        x[h] = a[h]!;
        x[hidden + h] = beta[h]!;
        x[2 * hidden + h] = a[h]! * beta[h]!;
        x[3 * hidden + h] = Math.abs(a[h]! - beta[h]!);
      }
      x[4 * hidden] = sentenceWords.has(qWords[i]!) ? 1 : 0;
      x[4 * hidden + 1] = Math.max(0, cosine);
      const v = apply(this.cmp, x, true);
      for (let h = 0; h < hidden; h++) {
        mean[h]! += v[h]! / qWords.length;
        max[h] = Math.max(max[h]!, v[h]!);
        min[h] = Math.min(min[h]!, v[h]!);
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
