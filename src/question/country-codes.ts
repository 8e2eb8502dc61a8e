// The codes readers type for countries ("ru", "UA", "PRK"): ISO 3166 alpha-2 and alpha-3, with the English names
// i18n-iso-countries keeps for each (MIT), read as the name the articles use ("kp" is North Korea, not "Democratic
// People's Republic of Korea", when that is what they write). Loaded on the first unknown short word, not at start.
import { createRequire } from 'node:module';
import type { Vocabulary } from './vocabulary.js';

type Names = Map<string, string[]>;
let byCode: Names | undefined;

function countryNames(): Names {
  if (!byCode) {
    const require = createRequire(import.meta.url);
    const english = require('i18n-iso-countries/langs/en.json') as { countries: Record<string, string | string[]> };
    const codes = require('i18n-iso-countries/codes.json') as [string, string, ...string[]][];
    byCode = new Map();
    for (const [alpha2, alpha3] of codes) {
      const names = [english.countries[alpha2] ?? []].flat();
      byCode.set(alpha2.toLowerCase(), names);
      byCode.set(alpha3.toLowerCase(), names);
    }
  }
  return byCode;
}

/** The country a code stands for, by the name of it the articles use most; null when they name it no way. */
export function countryOfCode(code: string, vocabulary: Vocabulary): string | null {
  const names = countryNames().get(code.toLowerCase()) ?? [];
  // A name is as common as its rarest word; one with a word the articles never use is not theirs.
  const used = names
    .map((name) => ({ name, count: Math.min(...(name.match(/\p{L}+/gu) ?? []).map((word) => vocabulary.count(word))) }))
    .filter((n) => n.count > 0)
    .sort((a, b) => b.count - a.count);
  return used[0]?.name ?? null;
}
