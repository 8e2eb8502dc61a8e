/** A file that cannot be read as an article, with a reason a person can act on. Its own module: the main
 * thread needs the class without loading the parsers (they run in the parse worker). */
export class ArticleError extends Error {
  override name = 'ArticleError';
}
