// Follow-ups: a question that points back ("what did he say about sanctions", "when was that", "and japan?",
// "why?") is read together with the previous question of its conversation. Pronouns take the previous
// question's names, a bare question word takes its place in the previous question, "and X?" puts X where the
// previous question's last name was, and "it"/"that" carry the previous question's subject terms along.
// General grammar only (pronouns, question words, function words): nothing fitted to a story or eval set.

const QUESTION_WORDS = new Set(['who', 'whom', 'whose', 'what', 'when', 'where', 'why', 'how', 'which']);
/** Third-person pronouns that stand for a person or group named before. */
const PERSON_PRONOUNS = new Set(['he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'theirs']);
const POSSESSIVES = new Set(['his', 'their', 'theirs', 'hers']);
/** Words that stand for a thing, place or time mentioned before. */
const THING_PRONOUNS = new Set(['it', 'its', 'that', 'this', 'those', 'these', 'there', 'then']);
/** Openings that continue the previous question rather than start a new one. */
const CONNECTORS = [/^and what about\b/i, /^what about\b/i, /^how about\b/i, /^what of\b/i, /^and\b/i, /^but\b/i, /^also\b/i, /^so\b/i];
/** Function words: never a name or a subject term even when capitalised at the start. */
const FUNCTION_WORDS = new Set([
  ...QUESTION_WORDS,
  ...PERSON_PRONOUNS,
  ...THING_PRONOUNS,
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'with',
  'about',
  'from',
  'into',
  'over',
  'after',
  'before',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'am',
  'do',
  'does',
  'did',
  'done',
  'have',
  'has',
  'had',
  'will',
  'would',
  'can',
  'could',
  'shall',
  'should',
  'may',
  'might',
  'must',
  'not',
  'no',
  'yes',
  'so',
  'also',
  'i',
  'you',
  'we',
  'me',
  'us',
  'my',
  'your',
  'our',
  'any',
  'some',
  'say',
  'said',
  'says',
  'tell',
  'told',
  'happen',
  'happened',
  'mean',
  'meant',
  'please',
  'exactly',
  'really',
  'else',
  'more',
  'much',
  'many',
]);

interface Token {
  word: string;
  lower: string;
}

function tokens(text: string): Token[] {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? []).map((word) => ({ word, lower: word.toLowerCase() }));
}

function withoutEnd(text: string): string {
  return text.trim().replace(/[\s?!.]+$/u, '');
}

/** Names in a question: runs of capitalised words that are not function words ("Kim Jong Un", "Ushakov"). */
export function namesIn(question: string): string[] {
  const names: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) names.push(run.join(' '));
    run = [];
  };
  for (const t of tokens(question)) {
    if (/^\p{Lu}/u.test(t.word) && !FUNCTION_WORDS.has(t.lower)) run.push(t.word);
    else flush();
  }
  flush();
  return names;
}

/** The previous question's subject: its names and other content words, in order. */
function subjectTerms(question: string): string[] {
  return tokens(question)
    .filter((t) => !FUNCTION_WORDS.has(t.lower))
    .map((t) => t.word);
}

function contentWords(question: string): number {
  return tokens(question).filter((t) => !FUNCTION_WORDS.has(t.lower)).length;
}

/** True when the question leans on what was asked before. */
export function pointsBack(question: string): boolean {
  const words = tokens(question);
  if (!words.length) return false;
  if (CONNECTORS.some((c) => c.test(question.trim()))) return true;
  if (words.some((t) => PERSON_PRONOUNS.has(t.lower) || THING_PRONOUNS.has(t.lower))) return true;
  // "why?", "when exactly?": a question word with nothing to ask about.
  return contentWords(question) === 0;
}

/**
 * The follow-up read with the previous question, or null when it stands on its own (or nothing is known to
 * fill it with). The result is what is answered and shown as "Read as: …".
 */
export function readFollowUp(previous: string, question: string): string | null {
  if (!pointsBack(question)) return null;
  const prev = withoutEnd(previous);
  let rest = withoutEnd(question);
  const names = namesIn(prev);
  const subject = subjectTerms(prev);
  if (!subject.length) return null;

  const connector = CONNECTORS.find((c) => c.test(rest));
  if (connector) {
    rest = rest.replace(connector, '').trim().replace(/^,\s*/, '');
    if (!rest) return prev;
    // "and what did he say…": a question of its own after the connector.
    const first = tokens(rest)[0]?.lower ?? '';
    if (!QUESTION_WORDS.has(first)) {
      // "and japan?": the new name takes the place of the previous question's last name.
      const last = names.at(-1);
      return last ? replaceLast(prev, last, rest) : `${prev} ${rest}`;
    }
  }

  const words = tokens(rest);
  if (contentWords(rest) === 0 && !words.some((t) => PERSON_PRONOUNS.has(t.lower) || THING_PRONOUNS.has(t.lower))) {
    // "why?": the question word replaces the previous one's ("what did Putin give Kim" → "why did Putin give Kim").
    const wh = words.find((t) => QUESTION_WORDS.has(t.lower))?.lower;
    if (!wh) return null;
    const prevFirst = tokens(prev)[0];
    return prevFirst && QUESTION_WORDS.has(prevFirst.lower) ? `${wh}${prev.slice(prev.indexOf(prevFirst.word) + prevFirst.word.length)}` : `${wh} ${prev}`;
  }

  let filled = rest;
  let changed = false;
  const person = names.length ? names : [];
  if (person.length) {
    filled = filled.replace(/\b(he|him|his|she|her|hers|they|them|their|theirs)\b/iu, (pronoun, _p, offset: number) => {
      changed = true;
      const lower = pronoun.toLowerCase();
      const who = ['they', 'them', 'their', 'theirs'].includes(lower) ? person.join(' and ') : person[0]!;
      // "her" is possessive before a word that is not a function word ("her visit"), an object otherwise.
      const next = tokens(filled.slice(offset + pronoun.length))[0]?.lower;
      const possessive = POSSESSIVES.has(lower) || (lower === 'her' && next !== undefined && !FUNCTION_WORDS.has(next));
      return possessive ? `${who}'s` : who;
    });
  }
  if (!changed && words.some((t) => THING_PRONOUNS.has(t.lower) || PERSON_PRONOUNS.has(t.lower))) {
    // "when was that": what "that" is can only be told by the previous question's subject; carry it along.
    const own = new Set(words.map((t) => t.lower));
    const carried = subject.filter((w) => !own.has(w.toLowerCase()));
    if (!carried.length) return null;
    return `${filled} (${carried.join(' ')})`;
  }
  return changed ? filled : null;
}

function replaceLast(text: string, find: string, replacement: string): string {
  const at = text.lastIndexOf(find);
  return at < 0 ? `${text} ${replacement}` : `${text.slice(0, at)}${replacement}${text.slice(at + find.length)}`;
}
