// Words every renderer uses the same way.

/** Said before the quotes of an answer flagged `lowConfidence`, instead of hiding the doubt. */
export const LOW_CONFIDENCE = 'The articles only touch on this:';
