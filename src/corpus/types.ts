/** What a reader needs to find the article again: shown with every citation. */
export interface ArticleMeta {
  title: string;
  publisher: string | null;
  /** YYYY-MM-DD, or null when the article carries no date. */
  date: string | null;
  url: string | null;
  authors: string[];
}

/** How an article file was read: decides which parser cleaned it. */
export type ArticleFormat = 'text' | 'markdown' | 'html' | 'pdf';

/** An article file as found: its name (for the format and the fallback title), its bytes, and where it came from. */
export interface ArticleFile {
  /** Path relative to the corpus folder, with forward slashes. */
  name: string;
  bytes: Uint8Array;
  /** The address it was fetched from, when `npm run add` recorded one. */
  sourceUrl?: string | null;
  /** The charset the server declared for it, if any. */
  charset?: string | null;
}

/** Where a sentence of an article's text starts and ends. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/** An article as indexed: its metadata and its cleaned text, which every quote is a substring of. */
export interface Article {
  /** Path relative to the corpus folder, with forward slashes; also the article's id. */
  file: string;
  /** sha256 of the raw file bytes (and its recorded source): decides whether a re-index must re-embed it. */
  hash: string;
  /** Size and modification time when read: an unchanged stamp means unchanged bytes (see load.ts). */
  stamp: string;
  meta: ArticleMeta;
  text: string;
  /** The text's sentences, split where it was parsed (off the event loop). */
  sentences: SentenceSpan[];
  format: ArticleFormat;
  /** Things worth telling whoever indexes it (e.g. "decoded as Windows-1252"): the article is indexed all the same. */
  notes: string[];
}

/** A file that could not be indexed, with the reason a person can act on. */
export interface CorpusWarning {
  file: string;
  reason: string;
}
