// BM25 over the chunks: finds the names, places and numbers that small embedding models blur.
// Built with the vector index and stored beside it; loading it is a parse, not a rebuild.
import { stemmer } from 'stemmer';

const STOPWORDS = new Set(
  ('a an and are as at be been but by did do does for from had has have he her his how i if in into is it its ' +
    'me my of on or our she so than that the their them then there these they this those to was we were what ' +
    'when where which who whom why will with would you your about after also can could said says any all not no ' +
    'tell told more most other some such up out over just only very').split(' '),
);

/** Lower-cased, accent-free, Porter-stemmed word terms ("gifted" finds "gift"); "210,000" stays one term. */
export function terms(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(\d)[,.](?=\d{3}\b)/g, '$1')
    .split(/[^\p{L}\p{N}]+/u);
  const out: string[] = [];
  for (const word of words) {
    if (!word || STOPWORDS.has(word)) continue;
    out.push(/^\p{N}+$/u.test(word) ? word : stemmer(word));
  }
  return out;
}

export interface SerializedLexical {
  documents: number;
  averageLength: number;
  lengths: number[];
  /** term → flat [document, termFrequency, document, termFrequency, ...] */
  postings: Record<string, number[]>;
}

export function buildLexical(texts: string[]): SerializedLexical {
  const postings: Record<string, number[]> = Object.create(null);
  const lengths: number[] = [];
  texts.forEach((text, doc) => {
    const counts = new Map<string, number>();
    const docTerms = terms(text);
    for (const term of docTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
    lengths.push(docTerms.length);
    for (const [term, tf] of counts) (postings[term] ??= []).push(doc, tf);
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  return { documents: texts.length, averageLength: texts.length ? total / texts.length : 0, lengths, postings };
}

export interface Scored {
  doc: number;
  score: number;
}

const K1 = 1.2;
const B = 0.75;

export class LexicalIndex {
  private readonly postings: Map<string, Int32Array>;
  private readonly scores: Float64Array;

  constructor(private readonly data: SerializedLexical) {
    this.postings = new Map(Object.entries(data.postings).map(([term, list]) => [term, Int32Array.from(list)]));
    this.scores = new Float64Array(data.documents);
  }

  get documents(): number {
    return this.data.documents;
  }

  /** Inverse document frequency: how much finding this term says (0 for a term in no chunk). */
  idf(term: string): number {
    const list = this.postings.get(term);
    if (!list) return 0;
    const df = list.length / 2;
    return Math.log(1 + (this.data.documents - df + 0.5) / (df + 0.5));
  }

  /** The idf of a term found in one chunk only: the most a known term can weigh. */
  rarestIdf(): number {
    return Math.log(1 + (this.data.documents - 0.5) / 1.5);
  }

  search(query: string, k: number): Scored[] {
    const queryTerms = [...new Set(terms(query))];
    const scores = this.scores;
    const touched: number[] = [];
    for (const term of queryTerms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        const norm = tf + K1 * (1 - B + (B * this.data.lengths[doc]!) / (this.data.averageLength || 1));
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (K1 + 1)) / norm;
      }
    }
    const results = touched.map((doc) => ({ doc, score: scores[doc]! }));
    for (const doc of touched) scores[doc] = 0;
    return results.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, k);
  }
}
