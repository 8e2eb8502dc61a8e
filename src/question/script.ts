// Whether a question is written mostly in letters other than Latin ones (Hangul, Cyrillic, Han, Arabic…): the
// scorer and the articles read English, so such a question is declined, and the reader is told why rather than
// that "the articles don't say". Script only: telling English from Spanish or German in a chat line is not
// reliable (a trigram detector took 14 of the story's 62 English questions for another language).

/** True when more than half of the question's letters are not Latin. */
export function mostlyNonLatin(question: string): boolean {
  const letters = question.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((l) => /\p{Script=Latin}/u.test(l)).length;
  return letters.length > 0 && latin * 2 < letters.length;
}
