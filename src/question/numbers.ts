// How numbers typed in chat are written in news: "2nd" is "second", "11k" "11,000", "$24.5bn" "$24.5 billion", "6/19"
// June 19, "2am" "2 a.m.". Each only where it can mean one thing; anything else stays as typed.
import { MONTH } from '../corpus/dates.js';

const MONTH_NAME = new RegExp(`^${MONTH}$`, 'i');
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const SCALES: Record<string, string> = {
  bn: 'billion',
  bln: 'billion',
  b: 'billion',
  mn: 'million',
  mln: 'million',
  m: 'million',
  tn: 'trillion',
  trn: 'trillion',
};

/**
 * A word that starts with a digit, as news writes it, or null when it stays as typed. `before` is the question up to
 * the word (a currency sign, the integer part of "24.5bn"); the words around it tell a date's "7th" from "2nd summit".
 */
export function numberAsWritten(word: string, previousWord: string, next: string, before: () => string): string | null {
  // An ordinal as news spells the first nine ("2nd summit" → second); "19th" stays ("on the 19th"), and so does a day
  // of a month ("the 7th of November", "Nov 7th").
  const ordinal = /^([1-9])(?:st|nd|rd|th)$/i.exec(word);
  if (ordinal) return MONTH_NAME.test(previousWord) || MONTH_NAME.test(next) || /^of$/i.test(next) ? null : ORDINALS[Number(ordinal[1]) - 1]!;
  return amount(word, before()) ?? date(word) ?? timeOfDay(word);
}

/**
 * "11k" → "11,000", "$24.5bn" → "$24.5 billion", "5mn" → "5 million"; a bare "m" or "b" only after a currency sign
 * ("$5m"; "5m" may be metres, "5b" a flat). "1.5k" stays: news writes "1,500".
 */
function amount(word: string, before: string): string | null {
  const found = /^(\d+)(k|bn|bln|b|mn|mln|m|tn|trn)$/i.exec(word);
  if (!found) return null;
  const [, digits, unit] = found as unknown as [string, string, string];
  const scale = unit.toLowerCase();
  const decimal = /\d[.,]$/.test(before);
  if (scale === 'k') return decimal || digits.length > 3 ? null : `${digits},000`;
  if ((scale === 'm' || scale === 'b') && !/[$€£¥]\s*(?:\d+[.,])?$/u.test(before)) return null;
  return `${digits} ${SCALES[scale]!}`;
}

/** A time of day typed whole ("2am", "3PM"; the minutes of "2:22am" come before it): "2 a.m.". */
function timeOfDay(word: string): string | null {
  const time = /^(\d{1,2})([ap])m$/i.exec(word);
  return time && Number(time[1]) <= 59 ? `${time[1]} ${time[2]!.toLowerCase()}.m.` : null;
}

/**
 * A date in digits, when it can be only one date: "6/19" → "June 19", "19/6/2024" → "19 June 2024", "2024-06-19" →
 * "June 19, 2024". "6/7" (June 7 or 6 July?), "9/11", "24/7" and "50/50" stay as typed.
 */
function date(word: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (iso) return dayOf(Number(iso[2]), Number(iso[3])) ? `${MONTHS[Number(iso[2]) - 1]} ${Number(iso[3])}, ${iso[1]}` : null;
  const slashed = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?$/.exec(word);
  if (!slashed || word === '24/7') return null;
  const [first, second] = [Number(slashed[1]), Number(slashed[2])];
  const year = slashed[3] ? (slashed[3].length === 2 ? `20${slashed[3]}` : slashed[3]) : '';
  if (first <= 12 && second > 12 && dayOf(first, second)) return `${MONTHS[first - 1]} ${second}${year && `, ${year}`}`;
  if (first > 12 && second <= 12 && dayOf(second, first)) return `${first} ${MONTHS[second - 1]}${year && ` ${year}`}`;
  return null;
}

/** Whether a month (1–12) has this day. */
function dayOf(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
