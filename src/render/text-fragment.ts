// Links to the exact quote: a URL text fragment (`#:~:text=start,end`, WICG Text Fragments), so a browser
// opens the article scrolled to the quote and highlights it (Chrome, Edge, Safari, Firefox).

/** Words at each end of a long quote: enough to be unique in an article, short enough to survive small edits. */
const EDGE_WORDS = 4;

/**
 * Percent-encodes a text directive term. The spec requires `-`, `,` and `&` encoded (they delimit the
 * directive); `encodeURIComponent` leaves `-` and a few others alone, and `(` `)` would end a Markdown link.
 */
export function encodeFragmentText(text: string): string {
  return encodeURIComponent(text).replace(/[-!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `url#:~:text=first%20words,last%20words` for the quote; a URL with a fragment already is left as it is. */
export function withTextFragment(url: string, quote: string): string {
  if (url.includes('#')) return url;
  // Whole words only: the browser matches on word boundaries. Ellipsis marks and quote marks at the edges
  // at the quote's ends may not be in the page's text as they are in ours.
  const words = quote
    .replace(/\s+/g, ' ')
    .replace(/^[\s“”"‘’(…]+|[\s“”"‘’)…]+$/g, '')
    .split(' ')
    .filter(Boolean);
  if (!words.length) return url;
  if (words.length <= EDGE_WORDS * 2) return `${url}#:~:text=${encodeFragmentText(words.join(' '))}`;
  const start = words.slice(0, EDGE_WORDS).join(' ');
  const end = words.slice(-EDGE_WORDS).join(' ');
  return `${url}#:~:text=${encodeFragmentText(start)},${encodeFragmentText(end)}`;
}
