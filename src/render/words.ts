import type { Excerpt } from '../answer/types.js';
// Words every renderer uses the same way.

/** Said before the quotes of an answer flagged `lowConfidence`, instead of hiding the doubt. */
export const LOW_CONFIDENCE = 'The articles only touch on this:';

/** "[1]", or "[1][3]" for a sentence two outlets carry. */
export function citationMarks(excerpt: Pick<Excerpt, 'source' | 'alsoIn'>): string {
  return [excerpt.source, ...(excerpt.alsoIn ?? [])].map((n) => `[${n}]`).join('');
}
