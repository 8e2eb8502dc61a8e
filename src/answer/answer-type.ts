// What kind of answer a question asks for ("How many…" wants a number, "Who…" a name), and whether
// a sentence holds one the question does not already contain. A cheap, model-free signal that keeps
// "Where was Putin going?" from being answered by a sentence that only repeats the question's words.

export type AnswerType = 'number' | 'date' | 'name' | 'place';

const CALENDAR = /^(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/;
const CALENDAR_IN_TEXT = /\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b|\b(1[89]|20)\d\d\b/;
const NUMBER_WORDS = /\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b/i;

export function expectedAnswerType(question: string): AnswerType | null {
  const q = question.toLowerCase().trim();
  if (/\bhow (many|much|long|old|far)\b|^what (year|percentage|number|amount)\b/.test(q)) return 'number';
  if (/^when\b|\bsince when\b|\bwhat (time|day|date|month)\b/.test(q)) return 'date';
  if (/^(who|whom|whose)\b|^which (academic|expert|official|leader|person|professor|analyst|agency|news agency|carmaker|company|newspaper)\b/.test(q)) return 'name';
  if (/^where\b|^which (place|city|country|square|region)\b/.test(q)) return 'place';
  return null;
}

export function holdsAnswerType(type: AnswerType, sentence: string, question: string): boolean {
  const questionWords = new Set(question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N},.'’-]*/gu) ?? [];
  const fresh = (word: string) => !questionWords.has(word.replace(/['’]s$/, '').replace(/[.,'’]+$/, '').toLowerCase());
  switch (type) {
    case 'number':
      return words.some((w) => /\d/.test(w) && fresh(w)) || NUMBER_WORDS.test(sentence);
    case 'date':
      return CALENDAR_IN_TEXT.test(sentence);
    default:
      // A capitalised word the question lacks, past the sentence's first word (which is capitalised anyway).
      return words.slice(1).some((w) => /^\p{Lu}/u.test(w) && !CALENDAR.test(w.replace(/[.,]+$/, '')) && fresh(w));
  }
}
