// A question that names a day ("what happened on June 19") asks of the sentences that say it their own way: news
// dates an event by its weekday ("on Wednesday") or "yesterday", relative to the day the report ran, as temporal
// taggers for news (HeidelTime, SUTime) resolve them against the document's date.
import { MONTH, monthNumber } from '../corpus/dates.js';
import { terms } from '../store/lexical.js';

export interface AskedDay {
  month: number;
  day: number;
  /** The question's terms for it ("june", "19"). */
  terms: string[];
}

const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'gi');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?![\\p{L}])`, 'giu');
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const RELATIVE_DAY = /\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday|yesterday|today)\b/gi;
const DAY_MS = 86_400_000;

/** The days a question names by month and day ("June 19", "19th of June"). */
export function askedDays(question: string): AskedDay[] {
  const days: AskedDay[] = [];
  // The question's own terms for the day ("19th", "june"): those are what a sentence must meet.
  const add = (monthName: string, dayText: string, written: string) => {
    const month = monthNumber(monthName);
    const day = Number(dayText);
    if (month && day >= 1 && day <= 31) days.push({ month, day, terms: terms(written) });
  };
  for (const m of question.matchAll(MONTH_DAY)) add(m[1]!, m[2]!, m[0]);
  for (const m of question.matchAll(DAY_MONTH)) add(m[2]!, m[1]!, m[0]);
  return days;
}

/**
 * The terms of the asked days a sentence meets without writing them: it names the day by its weekday (the last such
 * day up to the day its report ran) or as "yesterday" / "today". (The report's own date alone does not: every
 * sentence of it would meet the day, and the one that writes "June" won.)
 */
export function termsOfAskedDays(asked: AskedDay[], reportDate: string | null, sentence: string): string[] {
  if (!asked.length || !reportDate) return [];
  const ran = Date.parse(`${reportDate}T00:00:00Z`);
  if (Number.isNaN(ran)) return [];
  const dates: Date[] = [];
  for (const [word] of sentence.matchAll(RELATIVE_DAY)) {
    const lower = word.toLowerCase();
    const back = lower === 'today' ? 0 : lower === 'yesterday' ? 1 : (new Date(ran).getUTCDay() - WEEKDAYS.indexOf(lower) + 7) % 7;
    dates.push(new Date(ran - back * DAY_MS));
  }
  const met = asked.filter((day) => dates.some((date) => date.getUTCMonth() + 1 === day.month && date.getUTCDate() === day.day));
  return [...new Set(met.flatMap((day) => day.terms))];
}
