// How a question typed in chat is meant: contractions without apostrophes, messaging shorthand, the initials
// of names the articles use ("nk" → North Korea), numbers as news writes them, and typos of the articles' own words,
// each read as meant. A word the articles use is never changed; a word the dictionary knows only to the way the
// articles write the same word ("nonaggression" → non-aggression) or a country's code to its name ("ru", ruthenium).
import { STOPWORDS } from '../store/lexical.js';
import { countryOfCode } from './country-codes.js';
import { CONTRACTIONS, SHORTHAND } from './lexicon.js';
import { numberAsWritten } from './numbers.js';
import { editDistance, type Vocabulary } from './vocabulary.js';

export interface Reading {
  /** The question as analysed: as asked, with every misread word replaced. */
  text: string;
  /** The same when something was replaced, for the reader to check ("Read as: …"); null when read as typed. */
  readAs: string | null;
}

/** Words shorter than this are not corrected as typos: too many words are one edit from a short word. */
const MIN_TYPO_LENGTH = 4;
/** From this length a typo may be two edits from the intended word. */
const TWO_EDIT_LENGTH = 8;
/** From this length a word one edit from a single word of the dictionary is read as that word. */
const MIN_DICTIONARY_TYPO_LENGTH = 6;
/** Longer than this, a run of letters is no word mistyped (and checking every edit of it would cost). */
const MAX_WORD_LENGTH = 20;
/** Initials of names are this short ("nk", "sk", "dprk"). */
const MAX_INITIALS = 4;

// An initialism with dots ("u.s.", "u.n", typed without the last dot too) is one word: its letters are not shorthand
// ("u" → you). Only it holds a dot.
const TOKEN = /(\p{L}(?:\.\p{L})+\.?(?!\p{L})|[\p{L}\p{N}][\p{L}\p{M}\p{N}'’/-]*)/u;

export function readQuestion(
  typed: string,
  vocabulary: Vocabulary,
  isWord: (word: string) => boolean,
  isCommon: (word: string) => boolean = () => true,
): Reading {
  // Typed all in capitals, or with every word capitalised, a capital tells nothing: "GOVT" is "govt" and "W" is "with",
  // as they would be in lower case (where a capital is kept, "PM" or "US" may be a name).
  const question = capitalsTellNothing(typed) ? typed.toLowerCase() : typed;
  const parts = question.split(TOKEN);
  let changed = false;
  let previousWord = '';
  for (let i = 1; i < parts.length; i += 2) {
    const word = parts[i]!;
    const next = parts[i + 2] ?? '';
    const meant = inContext(word, { previousWord, next, vocabulary, isWord, isCommon, before: () => parts.slice(0, i).join('') });
    previousWord = word;
    if (meant !== null && meant !== word) {
      parts[i] = meant;
      changed = true;
      // "N. Korea" → "North Korea": the initial's dot goes with it.
      if (word.length === 1 && /^\.\s*$/.test(parts[i + 1] ?? '')) parts[i + 1] = ' ';
    }
  }
  const text = parts.join('');
  return { text, readAs: changed ? text : null };
}

function capitalsTellNothing(text: string): boolean {
  const words = text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  const shouted = words.length >= 2 && !/\p{Ll}/u.test(text);
  // Capitals at random ("WHo is the jaPanESe spokesman"): a word neither lower case, capitalised nor in capitals. A
  // name may be one ("McCain"), a question rarely has two.
  const mixed = (w: string) => /\p{Ll}/u.test(w) && /\p{Lu}/u.test(w.slice(1));
  const random = words.filter(mixed).length >= 2;
  return shouted || random || (words.length >= 3 && words.every((w) => /^\p{Lu}/u.test(w)));
}

/**
 * What a word means where it stands: a single letter or "2" by the word after it ("n korea", "putin n kim", "sent 2
 * russia"), any other word by itself and its neighbours.
 */
function inContext(word: string, at: Surroundings): string | null {
  const { next, vocabulary } = at;
  if (word === 'n') return initialOfName(word, next, vocabulary) ?? 'and';
  // "a", "i" are words; "u", "r", "y" are shorthand; a letter that starts no name may still be ("w" is "with").
  const initial = /^[b-hj-qstv-z]$/i.test(word) ? initialOfName(word, next, vocabulary) : null;
  if (initial) return initial;
  // "sent 2 russia": "2" before a name the articles use is "to" ("sent 2 brigades" keeps its number).
  if (word === '2' && isName(next, vocabulary)) return 'to';
  return meaning(word, at);
}

/** A word the articles write as a name, capitalised in half its uses or more ("sent 2 russia", "Zelenksy"). */
function isName(word: string, vocabulary: Vocabulary): boolean {
  const lower = word.toLowerCase();
  return vocabulary.count(lower) > 0 && vocabulary.capitalShare(lower) >= 0.5;
}

/**
 * A letter that starts a two-word name the articles use with the next word ("n korea", "S. Korea", "s korean") is
 * that name's first word, as "nk" is North Korea.
 */
function initialOfName(letter: string, next: string, vocabulary: Vocabulary): string | null {
  const name = next && vocabulary.expand(`${letter}${next[0]!}`.toLowerCase());
  const words = name ? name.split(' ') : [];
  return words.length === 2 && next.toLowerCase().startsWith(words[1]!.toLowerCase()) ? words[0]! : null;
}

/** Where a word stands: the words around it, the articles' vocabulary, the dictionary, and the text before it. */
interface Surroundings {
  previousWord: string;
  next: string;
  vocabulary: Vocabulary;
  isWord: (word: string) => boolean;
  /** Whether a word of the dictionary is among the commonest of English (the word vectors' 40,000). */
  isCommon: (word: string) => boolean;
  before: () => string;
}

function meaning(word: string, at: Surroundings): string | null {
  const { previousWord, next, vocabulary, isWord, isCommon, before } = at;
  const lower = word.toLowerCase();
  const contraction = CONTRACTIONS.get(lower);
  if (contraction) return contraction;
  // Shorthand is typed in lower case ("pm", "u", "b4"); "PM" or "U" may be a name. After a number, "pm" is the time of day.
  // A shorthand the articles write as a word of theirs is theirs ("da" of "Lula da Silva"); not a letter, which in
  // the articles is an initial ("U.S.").
  const shorthand = SHORTHAND.get(lower);
  if (shorthand && word === lower && !/^\d+$/.test(previousWord) && (lower.length === 1 || !vocabulary.count(lower))) return shorthand;
  // A possessive run into the next word ("korea'sforeign", "japan'sreaction"): both, as each is read.
  const glued = /^(\p{L}{2,}['’]s)(\p{L}{2,})$/iu.exec(word);
  if (glued) return [glued[1]!, glued[2]!].map((part) => meaning(part, at) ?? part).join(' ');
  // A possessive is read as its word is: "nk's" is North Korea's, "zelenksy's" zelensky's.
  const possessive = /^(\p{L}{2,})(['’]s)$/iu.exec(word);
  if (possessive) {
    const meant = meaning(possessive[1]!, at);
    return meant === null ? null : meant + possessive[2]!;
  }
  // An initialism with dots is a word the articles use ("u.s." as "US"), or the name they use that it stands for ("n.k.").
  if (lower.includes('.')) {
    const letters = lower.replace(/\./g, '');
    return vocabulary.count(letters) || letters.length > MAX_INITIALS ? null : vocabulary.expand(letters);
  }
  if (/^\d/.test(word)) return numberAsWritten(word, previousWord, next, before);
  if (/\d/.test(word)) return null;
  // A word typed whole that the articles hyphenate or write as a name of several words, or hyphenated where they write it
  // whole ("nonaggression", "kimjongun", "co-operation"): the same word, as they write it (the dictionary may know
  // "nonaggression", but the index has "non" and "aggression").
  if (!vocabulary.count(lower) && /^\p{L}[\p{L}-]*$/u.test(lower)) {
    const letters = lower.replace(/-/g, '');
    if (letters !== lower && vocabulary.count(letters)) return letters;
    const apart = vocabulary.writtenApart(letters);
    if (apart && apart.toLowerCase() !== lower) return apart;
  }
  // Initials or country codes joined by a hyphen ("nk-ru ties", "us-sk drills"): each as the name it stands for, when
  // the articles and the dictionary know no such word ("ho-jin" of Chang Ho-jin is theirs). Only names: a longer part
  // is a name's own ("Saint-Clair", "Al-Hasa"), and "re-branded" is no "about".
  if (lower.includes('-') && !vocabulary.count(lower) && !isWord(lower) && /^\p{L}+(?:-\p{L}+)+$/u.test(lower)) {
    const parts = word.split('-');
    const read = parts.map((part) => (part.length <= MAX_INITIALS ? meaning(part, at) : null));
    if (read.some((r) => r !== null) && read.every((r) => r === null || /^\p{Lu}/u.test(r))) return parts.map((part, i) => read[i] ?? part).join('-');
  }
  if (vocabulary.count(lower) || STOPWORDS.has(lower)) return null;
  // A two-letter country code the articles never write ("ru", "UA") is the country, though the dictionary knows "Ru"
  // as ruthenium; a three-letter one only when the dictionary knows no such word ("prk", not "jam").
  if (lower.length === 2) {
    const country = countryOfCode(lower, vocabulary);
    if (country) return country;
  }
  if (isWord(lower)) return null;
  // Letters drawn out for emphasis ("whaaat", "soooo", "pleeease"): a run of three or more is read as two ("gooood"),
  // else as one, when that is a word. (A known word is never read here: "VIII" is in the dictionary.)
  if (/(\p{L})\1\1/u.test(lower)) {
    for (const shorter of [lower.replace(/(\p{L})\1{2,}/gu, '$1$1'), lower.replace(/(\p{L})\1{2,}/gu, '$1')]) {
      const known = vocabulary.count(shorter) || STOPWORDS.has(shorter) || isWord(shorter) || CONTRACTIONS.get(shorter) || SHORTHAND.get(shorter);
      if (known) return meaning(shorter, at) ?? shorter;
    }
  }
  if (lower.length >= 2 && lower.length <= MAX_INITIALS) {
    const name = vocabulary.expand(lower);
    if (name) return name;
  }
  if (lower.length === 3) {
    const country = countryOfCode(lower, vocabulary);
    if (country) return country;
  }
  if (!/^\p{L}+$/u.test(lower)) return null;
  const inName = nameWord(lower, previousWord, next, vocabulary);
  if (inName) return inName;
  // A short word with two letters swapped, of a word that is no term anyway ("teh", "adn", "hwo"): read as that word
  // ("hwo many" is "how many", else the commoner in the articles when two are; either way no term is lost or added).
  if (lower.length < MIN_TYPO_LENGTH) return swappedStopword(lower, next, vocabulary);
  // A letter put before a word is how names are coined ("iphone", "ebay", "xbox"), not a slip: a word is not read as
  // itself without its first letter, unless that letter was typed twice ("iinternal"). And a word typed with a capital
  // past a sentence's start is a name: it is read only as a name of the articles ("Zelenksy"), never as another word
  // ("Jake" is no "take", "Forbes" no "forces").
  const typedAsName = word !== lower && !/(?:^|[.!?:]\s*)$/.test(before().trimEnd());
  const closest = vocabulary
    .near(lower, lower.length >= TWO_EDIT_LENGTH ? 2 : 1)
    .find((near) => !coinedFrom(lower, near) && (!typedAsName || isName(near, vocabulary)));
  const mistyped = closest ?? swappedWord(lower, isWord) ?? mistypedStopword(lower) ?? (word === lower ? mistypedWord(lower, isWord, isCommon) : null);
  if (mistyped) return mistyped;
  // Only then two words run together: "puttin" is a slip for Putin, not "putt in"; a name is one ("Marin", "Pearson").
  const apart = typedAsName ? null : twoWordsJoined(lower, vocabulary, isWord);
  return apart ? apart.map((part) => meaning(part, at) ?? part).join(' ') : null;
}

/** Whether `typed` is `word` with a letter put before it ("iphone", "ebay"): a coined name, not a slip ("iinternal" is one). */
function coinedFrom(typed: string, word: string): boolean {
  return word === typed.slice(1) && typed[0] !== typed[1];
}

/**
 * A common word mistyped by one edit, from six letters ("tiimes", "dscribe", "affraid"), when only one is that near —
 * or only one that starts with the letter typed, as a slip rarely hits the first ("dscribe" is describe, not scribe):
 * the articles may not use it, and left unread it weighs like a name they lack. Shorter words are one edit from too
 * many ("besdes" from six); a word typed with a capital is taken for a name ("Starmer" is no "starter").
 */
function mistypedWord(word: string, isWord: (word: string) => boolean, isCommon: (word: string) => boolean): string | null {
  if (word.length < MIN_DICTIONARY_TYPO_LENGTH || word.length > MAX_WORD_LENGTH) return null;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const edits = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of letters) {
      if (tail) edits.add(head + letter + tail.slice(1));
      edits.add(head + letter + tail);
    }
  }
  edits.delete(word);
  const known = [...edits].filter((edit) => edit.length >= MIN_DICTIONARY_TYPO_LENGTH - 1 && isCommon(edit) && isWord(edit));
  const slips = known.filter((edit) => !coinedFrom(word, edit));
  const sameStart = slips.filter((edit) => edit[0] === word[0]);
  return slips.length === 1 ? slips[0]! : sameStart.length === 1 ? sameStart[0]! : null;
}

/**
 * Two words typed without the space between them ("didputin", "planetouch", "nkneed", "kimscar"): each part a word of
 * the articles (from three letters: "th" of "19th" is none), one with a possessive "s" ("kims"), a function word or
 * chat shorthand ("plshelp"; of two letters it is a prefix there: "resupplying" is no "re supplying") — or, less sure,
 * a name's initials or from four letters a word of the dictionary, so an unknown name rarely parts ("budanov",
 * "shoigu"); one part at least is of the surer kind. Of several places, the surest parts ("first nk", not "firs tnk";
 * "kims car", not "kim scar"), then the most even ("up with", not "u pwith").
 */
function twoWordsJoined(word: string, vocabulary: Vocabulary, isWord: (word: string) => boolean): [string, string] | null {
  const ofArticles = (part: string) => part.length >= 3 && vocabulary.count(part) > 0;
  const sureness = (part: string): number =>
    ofArticles(part) || STOPWORDS.has(part) || (part.endsWith('s') && ofArticles(part.slice(0, -1))) || (part.length > 2 && SHORTHAND.has(part))
      ? 2
      : (part.length <= MAX_INITIALS && vocabulary.expand(part) !== null) || (part.length >= 4 && isWord(part))
        ? 1
        : 0;
  if (word.length > 2 * MAX_WORD_LENGTH) return null;
  let best: { parts: [string, string]; sure: number; even: number } | null = null;
  for (let at = 2; at <= word.length - 2; at++) {
    const parts: [string, string] = [word.slice(0, at), word.slice(at)];
    const [first, second] = parts.map(sureness);
    // One part at least a word of the articles or a function word: two parts the articles never use ("ip hone" of
    // "iphone") say that the word is a name they lack, not two run together.
    if (!first || !second || first + second! < 3) continue;
    const candidate = { parts, sure: first + second!, even: Math.min(at, word.length - at) };
    if (!best || candidate.sure > best.sure || (candidate.sure === best.sure && candidate.even > best.even)) best = candidate;
  }
  return best?.parts ?? null;
}

/**
 * A function word mistyped by one edit, from five letters ("besdes", "thier", "becuase", "aginst"), when only one is
 * that near: the articles may never use it, and left unread it weighs like a name they lack.
 */
function mistypedStopword(word: string): string | null {
  if (word.length < 5) return null;
  const near = [...STOPWORDS].filter((stopword) => Math.abs(stopword.length - word.length) <= 1 && editDistance(word, stopword, 1) <= 1);
  return near.length === 1 ? near[0]! : null;
}

/**
 * A mistyped word of a name the articles use, read with its neighbours ("kim jon un" is Kim Jong Un, "putin n kim"
 * aside): the name whose initials the words make, one edit from the typed word at its place. Short words too: the
 * neighbours say which name is meant, as they cannot for "giv" alone.
 */
function nameWord(word: string, previousWord: string, next: string, vocabulary: Vocabulary): string | null {
  const around = [previousWord, word, next].map((w) => w.toLowerCase());
  for (const [from, to] of [
    [0, 3],
    [0, 2],
    [1, 3],
  ] as const) {
    const words = around.slice(from, to);
    if (words.some((w) => !/^\p{L}+$/u.test(w))) continue;
    const name = vocabulary.expand(words.map((w) => w[0]).join(''));
    const parts = name?.split(' ') ?? [];
    if (parts.length !== words.length) continue;
    const at = 1 - from;
    const fits = parts.every((part, i) => (i === at ? editDistance(word.toLowerCase(), part.toLowerCase(), 1) <= 1 : part.toLowerCase() === words[i]));
    if (fits) return parts[at]!;
  }
  return null;
}

/** A word the dictionary knows with two neighbouring letters swapped ("recieve", "beleive"), from five letters, when only one is. */
function swappedWord(word: string, isWord: (word: string) => boolean): string | null {
  if (word.length < 5) return null;
  const known = swaps(word).filter(isWord);
  return known.length === 1 ? known[0]! : null;
}

/** A short word with two letters swapped that reads as a stopword ("teh", "adn"; "hwo many" is how), the commoner in the articles of two. */
function swappedStopword(word: string, next: string, vocabulary: Vocabulary): string | null {
  const stopwords = swaps(word).filter((swap) => STOPWORDS.has(swap));
  if (stopwords.includes('how') && /^(?:many|much)$/i.test(next)) return 'how';
  return stopwords.sort((a, b) => vocabulary.count(b) - vocabulary.count(a))[0] ?? null;
}

/** The other words two neighbouring letters of this one make, swapped. */
function swaps(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < word.length; i++) out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  out.delete(word);
  return [...out];
}
