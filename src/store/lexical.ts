// BM25 over the chunks: finds the names, places and numbers that small embedding models blur.
// A stored structure: it builds itself from chunks' term counts, merges segments and serialises itself;
// the store only moves its bytes. It owns its analysis (terms) so that indexing and questions agree.
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import { baseVerb } from '../util/irregular-verbs.js';
import { TopK, type Scored } from '../util/top-k.js';

export const STOPWORDS = new Set(
  (
    'a an and are as at be been but by did do does for from had has have he her his how i if in into is it its ' +
    'am me my of on or our she so than that the their them then there these they this those to was we were what ' +
    'when where which who whom why will with would you your about after also can could said says any all not no ' +
    'tell told more most other some such up out over just only very many much s t d ll m re ve ' +
    // Function words: never what a question is about (unseen in the articles, "upon" would outweigh "Moscow").
    'upon onto off besides among amongst whose while being both each few own same too further once again here ' +
    'should shall might must per via yet nor ever even through during before between against within without ' +
    'because whether though although else thus hence therefore however ' +
    // What joins, lists or titles names, never what is asked ("russia vs ukraine", "gifts etc", "i.e.", "mr putin").
    'vs versus etc ie eg aka mr mrs ' +
    // Indefinite pronouns stand for what is asked, never name it ("did the pope say anything").
    'anything anyone anybody something someone somebody everything everyone everybody ' +
    // Emphasis: how sure or how precise the asker wants it, never what is asked ("what did he actually say").
    'actually exactly really basically literally precisely ' +
    // What is left of a contraction's first word once the apostrophe splits it ("isn't" → "isn" + "t").
    'isn aren wasn weren don doesn didn couldn wouldn shouldn hasn haven hadn mustn needn'
  ).split(' '),
);

// British spellings read as American ones (1,738 word forms, VarCon-style, MIT: "defence" is "defense",
// "organisation" "organization"): outlets and readers each write their own, and Porter stems keep them apart.
// A Map, not the object: "constructor" in an article is a word, not a key of Object.prototype.
const AMERICAN_SPELLING = new Map<string, string>(
  Object.entries(createRequire(import.meta.url)('american-british-english-translator/data/british_spellings.json')),
);

/** Lower-cased, accent-free, Porter-stemmed word terms ("gifted" finds "gift", "sent" finds "send"); "210,000" stays one term. */
export function terms(text: string): string[] {
  return termWords(text).map((t) => t.term);
}

/** Each term with the word it came from (lower-cased, accent-free, before stemming). */
export function termWords(text: string): { word: string; term: string }[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(\d)[,.](?=\d{3}\b)/g, '$1')
    // "%", "per cent" (British) and "percent" (American) are one word.
    .replace(/%|\bper cent\b/g, ' percent ')
    // An initialism with dots is one word, as in Lucene's classic analyser: "U.S." is "us", as a reader types it.
    // (Latin letters only, accents already folded: a Unicode class here made every call a third slower.)
    .replace(/(?<![a-z0-9.])(?:[a-z]\.){2,}/g, (initialism) => initialism.replace(/\./g, ''))
    .split(/[^\p{L}\p{N}]+/u);
  const out: { word: string; term: string }[] = [];
  for (const word of words) {
    if (!word || STOPWORDS.has(word)) continue;
    out.push({ word, term: /^\p{N}+$/u.test(word) ? word : stemmer(baseVerb(AMERICAN_SPELLING.get(word) ?? word)) });
  }
  return out;
}

interface SerializedLexical {
  documents: number;
  averageLength: number;
  lengths: number[];
  /** term → flat [document, termFrequency, document, termFrequency, ...] */
  postings: Record<string, number[]>;
}

/** One chunk's bag of terms: what BM25 needs from its text. */
export type TermCounts = Map<string, number>;

export function termCounts(text: string): TermCounts {
  const counts: TermCounts = new Map();
  for (const term of terms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

const K1 = 1.2;
const B = 0.75;

export class LexicalIndex {
  private readonly postings: Map<string, Int32Array>;
  private readonly scores: Float64Array;
  /** BM25's length normalisation per chunk, computed once rather than per posting per query. */
  private readonly lengthNorm: Float64Array;

  private constructor(private readonly data: SerializedLexical) {
    this.postings = new Map(Object.entries(data.postings).map(([term, list]) => [term, Int32Array.from(list)]));
    this.scores = new Float64Array(data.documents);
    this.lengthNorm = Float64Array.from(data.lengths, (length) => K1 * (1 - B + (B * length) / (data.averageLength || 1)));
  }

  /** The postings of these chunks' term counts, in chunk order. */
  static build(chunks: TermCounts[]): LexicalIndex {
    const postings: Record<string, number[]> = Object.create(null);
    const lengths: number[] = [];
    chunks.forEach((counts, doc) => {
      let length = 0;
      for (const [term, tf] of counts) {
        postings[term] ??= [];
        postings[term].push(doc, tf);
        length += tf;
      }
      lengths.push(length);
    });
    return new LexicalIndex(withAverage(lengths, postings));
  }

  /** Segments' indexes as one: chunk numbers shifted by the chunks of the segments before. */
  static merge(parts: LexicalIndex[]): LexicalIndex {
    if (parts.length === 1) return parts[0]!;
    const postings: Record<string, number[]> = Object.create(null);
    const lengths: number[] = [];
    for (const { data: part } of parts) {
      const offset = lengths.length;
      for (const term in part.postings) {
        const list = part.postings[term]!;
        postings[term] ??= [];
        const merged = postings[term];
        for (let i = 0; i < list.length; i += 2) merged.push(list[i]! + offset, list[i + 1]!);
      }
      for (const length of part.lengths) lengths.push(length);
    }
    return new LexicalIndex(withAverage(lengths, postings));
  }

  /** The stored form (JSON text). */
  serialize(): string {
    return JSON.stringify(this.data);
  }

  /** Reads the stored form back; throws when it is not one. */
  static deserialize(text: string): LexicalIndex {
    const data = JSON.parse(text) as SerializedLexical;
    if (
      !data ||
      typeof data.documents !== 'number' ||
      !Array.isArray(data.lengths) ||
      data.lengths.length !== data.documents ||
      typeof data.postings !== 'object'
    ) {
      throw new Error('not a lexical index');
    }
    return new LexicalIndex(data);
  }

  /** Each chunk's term counts, recovered from the postings: a re-index reuses them instead of re-stemming every chunk. */
  termCountsByChunk(): TermCounts[] {
    const chunks: TermCounts[] = Array.from({ length: this.data.documents }, () => new Map());
    for (const [term, list] of this.postings) for (let i = 0; i < list.length; i += 2) chunks[list[i]!]!.set(term, list[i + 1]!);
    return chunks;
  }

  get documents(): number {
    return this.data.documents;
  }

  /** Mean terms per chunk: BM25's length scale. */
  get averageLength(): number {
    return this.data.averageLength;
  }

  /** Inverse document frequency: how much finding this term says (0 for a term in no chunk). */
  idf(term: string): number {
    const list = this.postings.get(term);
    if (!list) return 0;
    const df = list.length / 2;
    return Math.log(1 + (this.data.documents - df + 0.5) / (df + 0.5));
  }

  /** Whether some chunk holds all these terms: a phrase the articles may actually use. */
  cooccur(phrase: string[]): boolean {
    const lists = phrase.map((term) => this.postings.get(term));
    if (!lists.length || lists.some((list) => !list)) return false;
    // Postings are in chunk order: step every list forward to the largest chunk seen until they agree.
    const at = lists.map(() => 0);
    for (;;) {
      let target = 0;
      for (const [i, list] of lists.entries()) {
        if (at[i]! >= list!.length) return false;
        target = Math.max(target, list![at[i]!]!);
      }
      let agreed = true;
      for (const [i, list] of lists.entries()) {
        while (at[i]! < list!.length && list![at[i]!]! < target) at[i]! += 2;
        if (at[i]! >= list!.length) return false;
        if (list![at[i]!]! !== target) agreed = false;
      }
      if (agreed) return true;
    }
  }

  /** The chunks that hold this term, in chunk order. */
  *chunksWith(term: string): Generator<number> {
    const list = this.postings.get(term);
    if (list) for (let i = 0; i < list.length; i += 2) yield list[i]!;
  }

  /** The idf of a term found in one chunk only: the most a known term can weigh. */
  rarestIdf(): number {
    return Math.log(1 + (this.data.documents - 0.5) / 1.5);
  }

  /** The k best chunks for the query's terms, plus `related` terms that count for the given share of a term. */
  search(query: string, k: number, related: Map<string, number> = new Map()): Scored[] {
    const queryTerms = new Map<string, number>(related);
    for (const term of terms(query)) queryTerms.set(term, 1);
    const scores = this.scores;
    const touched: number[] = [];
    for (const [term, share] of queryTerms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = share * this.idf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i]!;
        const tf = list[i + 1]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (K1 + 1)) / (tf + this.lengthNorm[doc]!);
      }
    }
    const top = new TopK(k);
    for (const doc of touched) {
      top.offer(doc, scores[doc]!);
      scores[doc] = 0;
    }
    return top.items;
  }
}

function withAverage(lengths: number[], postings: Record<string, number[]>): SerializedLexical {
  const total = lengths.reduce((a, b) => a + b, 0);
  return { documents: lengths.length, averageLength: lengths.length ? total / lengths.length : 0, lengths, postings };
}
