// The product's answer: a plain object that the terminal and Discord only render.

export interface Excerpt {
  /** Exact substring of the cited article's cleaned text (`articleText.slice(start, end)`). */
  quote: string;
  /** The `n` of the entry in `sources`. */
  source: number;
  /** The `n` of other sources that carry the same sentence word for word (wire copy): "[1][3]". */
  alsoIn: number[];
  /** The answer scorer's log-odds that the quote's best sentence answers the question. */
  score: number;
  start: number;
  end: number;
  /** The quote starts or ends inside a paragraph: renderers mark the cut with an ellipsis. */
  trimmedStart: boolean;
  trimmedEnd: boolean;
}

export interface SourceRef {
  n: number;
  title: string;
  publisher: string | null;
  date: string | null;
  url: string | null;
  authors: string[];
  file: string;
}

export type AnswerStatus = 'answered' | 'not-covered' | 'empty-question';

export interface Timings {
  totalMs: number;
  embedMs: number;
  denseMs: number;
  lexicalMs: number;
  quotesMs: number;
  /** The ANSWER_MODEL cross-encoder's share of `quotesMs`; absent without one. */
  rerankMs?: number;
}

export interface Answer {
  question: string;
  answered: boolean;
  status: AnswerStatus;
  /** What to tell the reader when there is nothing to quote. */
  message: string | null;
  excerpts: Excerpt[];
  sources: SourceRef[];
  /** The calibrated chance, in [0, 1], that the first quote answers the question; below the decline threshold (ANSWER_MIN_CONFIDENCE, or the scorer's own) the bot declines. */
  confidence: number;
  /** Titles of what the articles do cover, offered when the question is not covered. */
  suggestions: string[];
  /** Answered, but less likely than not to be right (confidence below 0.5): renderers say so in words. */
  lowConfidence: boolean;
  /** How the question was read when that differs from how it was asked (chat-speak or a typo read as meant, a filled follow-up). */
  readAs: string | null;
  timings: Timings;
}
