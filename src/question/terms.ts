// The question's words as the answer is scored against them: each term weighted by how much finding it
// says (idf), with the words the articles may use instead ("present" → gift, "shells" → ammunition,
// "place of worship" → church) from the thesaurus, worth part of the term.
import { STOPWORDS, termWords, terms } from '../store/lexical.js';
import { MONTHS } from './numbers.js';
import type { LexicalIndex } from '../store/lexical.js';
import { NEIGHBOUR_CREDIT, thesaurus } from '../retrieve/thesaurus.js';

/** A question word the articles never use weighs a bit more than their rarest word: it is what is being asked about. */
const UNSEEN_TERM_FACTOR = 1.3;
/** A close synonym of a word the articles use: ranks a paraphrase, too little to prove one (below NEIGHBOUR_CREDIT). */
const SEEN_SYNONYM_CREDIT = 0.5;
/** Words after which a question's next word is a noun: "What present…", "Which academic…", "How many shells…". */
const NOUN_NEXT = new Set(['what', 'which', 'whose', 'many']);
/** Words after which the next content word is a noun: "a ticket", "the state banquet", "his visit". */
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'his', 'her', 'its', 'their', 'our', 'my', 'your']);
/** Phrases up to this many words are looked up whole ("place of worship", "hand over"). */
const MAX_PHRASE_WORDS = 3;
/**
 * One word written two ways in news: a number below ten as typed and as news spells it ("4 companies" / "four
 * companies"), a month shortened and whole ("dec 14" / "14 December", "Oct. 21" / "October").
 */
const WRITTEN_OTHERWISE = new Map<string, string>([
  ...['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map((word, i): [string, string] => [String(i + 1), word]),
  // "May" has no shorter form; "may" the verb is no month to read as one.
  ...MONTHS.filter((month) => month !== 'May')
    .map((month) => month.toLowerCase())
    .flatMap((month): [string, string][] => [
      [month.slice(0, 3), month],
      [month, month.slice(0, 3)],
    ]),
  ['sept', 'september'],
]);

interface Alternative {
  /** All of these terms must be in a sentence (a related phrase may have several words). */
  terms: string[];
  credit: number;
}

export interface QuestionTerm {
  term: string;
  weight: number;
  alternatives: Alternative[];
}

export interface QuestionTerms {
  terms: QuestionTerm[];
  totalWeight: number;
  /** Share of the weight held by terms the articles never use, nor any word related to them: what they cannot speak to. */
  unknownShare: number;
  /** Single-term alternatives found in the articles, with their credit: extra BM25 query terms. */
  expansions: Map<string, number>;
}

export function questionTerms(question: string, lexical: LexicalIndex): QuestionTerms {
  const unseenWeight = UNSEEN_TERM_FACTOR * lexical.rarestIdf();
  // The same word written otherwise ("dec" / December, "4" / four): where the articles write it only their way, it is
  // their word, weighed as theirs; where they write both, theirs stands in for it in full (below).
  const writtenAs = new Map<string, string>();
  for (const { word, term } of termWords(question)) {
    const otherwise = WRITTEN_OTHERWISE.get(word);
    const [written] = otherwise ? terms(otherwise) : [];
    if (written && written !== term && lexical.idf(written)) writtenAs.set(term, written);
  }
  const asWritten = (term: string) => (lexical.idf(term) ? term : (writtenAs.get(term) ?? term));
  const list: QuestionTerm[] = [...new Set(terms(withoutFutureGoing(question)).map(asWritten))].map((term) => ({
    term,
    weight: lexical.idf(term) || unseenWeight,
    alternatives: [],
  }));
  const byTerm = new Map(list.map((t) => [t.term, t]));
  const expansions = new Map<string, number>();
  const addStandIn = (forTerms: string[], standIn: string[], credit: number) => {
    // A phrase's terms need not be among the question's (NFKD folding can split a word differently): skip those.
    for (const term of forTerms) byTerm.get(term)?.alternatives.push({ terms: standIn, credit });
    if (standIn.length === 1 && (expansions.get(standIn[0]!) ?? 0) < credit) expansions.set(standIn[0]!, credit);
  };

  // Combining marks belong to their word ("Choso\u0306n" is one word, not "choso" and "n").
  const words = question.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'-]*/gu) ?? [];
  for (let n = 1; n <= MAX_PHRASE_WORDS; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      const phrase = words.slice(i, i + n).join(' ');
      // The articles' own word is the best evidence: related words stand in only for words they never use, or for
      // an idiom the dictionary knows whole (a phrase with a particle: "in force", "give back"), which means
      // something else than its words.
      const phraseTerms = [...new Set(terms(phrase))];
      const unseen = phraseTerms.filter((t) => !lexical.idf(t));
      const idiom = n > 1 && phraseTerms.length < n && thesaurus().isWord(phrase);
      // Numbers and names of numbers are asked for literally: "2" must not find "two", "Saturday" or "deuce".
      if ((!unseen.length && !idiom) || /\d/.test(phrase)) continue;
      const nounOnly = i > 0 && (NOUN_NEXT.has(words[i - 1]!) || nounAfterDeterminer(words, i));
      // A compound written with a hyphen is often one word in the dictionary: "stand-off" is "standoff".
      const lookup = n === 1 && phrase.includes('-') && thesaurus().isWord(phrase.replace(/-/g, '')) ? phrase.replace(/-/g, '') : phrase;
      for (const [related, credit] of thesaurus().related(lookup, nounOnly)) {
        const relatedTerms = [...new Set(terms(related))];
        // Only what the articles contain can ever match; a phrase counts whole ("drawn-out" is not "drawn").
        if (relatedTerms.length === related.split(/[\s-]+/).length && lexical.cooccur(relatedTerms))
          addStandIn(unseen.length ? unseen : phraseTerms, relatedTerms, credit);
      }
    }
  }
  // A word the articles use may still be said otherwise in the answer ("greeted" / "welcomed"): its closest
  // synonyms count for a part, less than for a word they never use.
  for (const word of words) {
    const wordTerms = terms(word);
    const term = wordTerms[0];
    if (!term || wordTerms.length !== 1 || !lexical.idf(term) || /\d/.test(word)) continue;
    for (const pos of thesaurus().partsOfSpeech(word)) {
      for (const synonym of thesaurus().closelyRelated(word, pos)) {
        const synonymTerms = terms(synonym);
        if (synonymTerms.length === 1 && synonymTerms[0] !== term && lexical.idf(synonymTerms[0]!)) addStandIn([term], synonymTerms, SEEN_SYNONYM_CREDIT);
      }
    }
  }
  for (const [term, written] of writtenAs) if (byTerm.has(term)) addStandIn([term], [written], 1);
  // Names of places the articles may call by the larger place ("Washington and Seoul" → the United States and South Korea).
  const names = question.match(/(?<=[\p{L}\p{N},;:'"]\s+)\p{Lu}[\p{L}-]*/gu) ?? [];
  for (const name of names) {
    const term = terms(name)[0];
    if (!term || !byTerm.has(term)) continue;
    for (const whole of thesaurus().partOf(name)) {
      const wholeTerms = [...new Set(terms(whole))];
      if (lexical.cooccur(wholeTerms)) addStandIn([term], wholeTerms, NEIGHBOUR_CREDIT);
    }
  }
  for (const term of byTerm.keys()) expansions.delete(term);
  // A word read as the articles write it is searched so: the question's text has it as typed.
  for (const [term, written] of writtenAs) if (!byTerm.has(term)) expansions.set(written, 1);
  const totalWeight = list.reduce((sum, t) => sum + t.weight, 0);
  // A definition's words alone (credit below a neighbour's) do not make a word known.
  const unknownWeight = list
    .filter((t) => !lexical.idf(t.term) && !t.alternatives.some((a) => a.credit >= NEIGHBOUR_CREDIT))
    .reduce((sum, t) => sum + t.weight, 0);
  return { terms: list, totalWeight, unknownShare: totalWeight ? unknownWeight / totalWeight : 0, expansions };
}

/**
 * "Going to" before a verb is the future, as "will" is (a stopword): "is russia going to send troops", "gonna arm
 * ukraine" ask nothing of going. Before anything else it is going ("going to pyongyang") and stays.
 */
function withoutFutureGoing(question: string): string {
  return question.replace(/\bgoing to (\p{L}+)/giu, (phrase, next: string) =>
    /^\p{Ll}/u.test(next) && thesaurus().partsOfSpeech(next).includes('verb') ? `will ${next}` : phrase,
  );
}

/** Share of the question's weight a sentence holds: a term found counts fully, an alternative for its credit. */
export function coverage(question: QuestionTerms, sentenceTerms: Set<string>, minCredit = 0): number {
  if (!question.totalWeight) return 0;
  let covered = 0;
  for (const { term, weight, alternatives } of question.terms) {
    let credit = sentenceTerms.has(term) ? 1 : 0;
    for (const alternative of alternatives) {
      if (alternative.credit > credit && alternative.credit >= minCredit && alternative.terms.every((t) => sentenceTerms.has(t))) credit = alternative.credit;
    }
    covered += weight * credit;
  }
  return covered / question.totalWeight;
}

/** The word follows a determiner, directly or after one modifier ("a ticket", "the state banquet"): it is a noun. */
function nounAfterDeterminer(words: string[], i: number): boolean {
  if (STOPWORDS.has(words[i]!)) return false;
  if (DETERMINERS.has(words[i - 1]!)) return true;
  return i > 1 && DETERMINERS.has(words[i - 2]!) && !STOPWORDS.has(words[i - 1]!);
}
