/** What a reader needs to find the article again: shown with every citation. */
export interface ArticleMeta {
  title: string;
  publisher: string | null;
  /** YYYY-MM-DD, or null when the article carries no date. */
  date: string | null;
  url: string | null;
  authors: string[];
}

/** An article as indexed: its metadata and its cleaned text, which every quote is a substring of. */
export interface Article {
  /** Path relative to the corpus folder, with forward slashes; also the article's id. */
  file: string;
  /** sha256 of the raw file bytes: decides whether a re-index must re-embed it. */
  hash: string;
  /** Size and modification time when read: an unchanged stamp means unchanged bytes (see load.ts). */
  stamp: string;
  meta: ArticleMeta;
  text: string;
}

/** A file that could not be indexed, with the reason a person can act on. */
export interface CorpusWarning {
  file: string;
  reason: string;
}
