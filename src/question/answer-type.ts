// What kind of answer a question asks for ("How many…" wants a number, "Who…" a name), and whether
// a sentence holds one the question does not already contain. A cheap, model-free signal that keeps
// "Where was Putin going?" from being answered by a sentence that only repeats the question's words.
import type { Thesaurus } from '../retrieve/thesaurus.js';
import { STOPWORDS } from '../store/lexical.js';

export type AnswerType = 'number' | 'duration' | 'date' | 'name' | 'place';

const CALENDAR =
  /^(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/;
/** A date as news writes it: a month or weekday, "today", a year, or a dateline's abbreviation with its day ("Dec 5", "Sept. 12"). */
const CALENDAR_IN_TEXT =
  /\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b|\b(1[89]|20)\d\d\b|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}\b/;
const NUMBER_WORDS =
  /\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|dozens?|hundreds?|thousands?|millions?|billions?|twice|thrice|half)\b/i;
/** An amount of time: a number (in figures or words) and a unit, "two hours", "24 years", "a decade". */
const DURATION =
  /\b(\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|several|few|half)[\s-]+(and a half[\s-]+)?(second|minute|hour|day|week|month|year|decade|centur(y|ies))s?\b/i;
/** (Not "one": mostly a pronoun, "one of", "no one".) */
/** A four-digit year (or decade) is a date, not an amount: "how old is Putin" is not answered by "in 2000". */
const YEAR = /^(1[89]|20)\d\ds?$/;
/** After "how", words that ask about manner or cause, not an amount ("how did", "how come"). */
const NOT_AMOUNT = /^how (did|do|does|is|are|was|were|can|could|will|would|should|has|have|had|come|so|about|to)\b/;

export function expectedAnswerType(question: string, thesaurus: Pick<Thesaurus, 'isPerson' | 'isLocation' | 'partsOfSpeech'>): AnswerType | null {
  const q = question.toLowerCase().trim();
  if (/^what (year|month|day|date|time)\b|^when\b|\bsince when\b/.test(q)) return 'date';
  if (/\bhow (many|much)\b|^what (percentage|number|amount|share)\b/.test(q)) return 'number';
  // "How long did they talk / since he went": a number of time units ("about two hours", "in 24 years").
  if (/^how long\b/.test(q)) return 'duration';
  // "How tall / old / long / far…": a degree, measured in numbers.
  const degree = /^how (\p{L}+)/u.exec(q)?.[1];
  if (degree && !NOT_AMOUNT.test(q) && thesaurus.partsOfSpeech(degree).some((pos) => pos === 'adj' || pos === 'adv')) return 'number';
  if (/^(who|whom|whose)\b/.test(q)) return 'name';
  if (/^where\b/.test(q)) return 'place';
  // "Which official…", "which city…": the noun says whether a person or a place is asked for.
  const kind = /^(?:which|what) (\p{L}+)/u.exec(q)?.[1];
  if (!kind || STOPWORDS.has(kind)) return null;
  if (thesaurus.isPerson(kind)) return 'name';
  if (thesaurus.isLocation(kind)) return 'place';
  return null;
}

export function holdsAnswerType(type: AnswerType, sentence: string, question: string): boolean {
  const questionWords = new Set(question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N},.'’-]*/gu) ?? [];
  const bare = (word: string) => word.replace(/['’]s$/, '').replace(/[.,'’]+$/, '');
  const fresh = (word: string) => !questionWords.has(bare(word).toLowerCase());
  switch (type) {
    case 'number':
      return words.some((w) => /\d/.test(w) && fresh(w) && !YEAR.test(bare(w))) || NUMBER_WORDS.test(sentence);
    case 'duration':
      return DURATION.test(sentence);
    case 'date':
      return CALENDAR_IN_TEXT.test(sentence);
    default:
      // A capitalised word the question lacks, past the sentence's first word (which is capitalised anyway).
      return words.slice(1).some((w) => /^\p{Lu}/u.test(w) && !CALENDAR.test(bare(w)) && fresh(w));
  }
}
