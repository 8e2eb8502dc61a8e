import { loadCoreConfig } from './src/config.js';
import { openEngine } from './src/app.js';
import { questionTerms, coverage } from './src/answer/question-terms.js';
import { terms } from './src/retrieve/lexical.js';
import { expectedAnswerType, holdsAnswerType } from './src/answer/answer-type.js';
import { readFileSync } from 'node:fs';
const engine = await openEngine(loadCoreConfig());
const index = engine.index();
const sents: { text: string; row: number }[] = [];
for (const a of index.articles) a.sentences.forEach((sp, s) => sents.push({ text: a.text.slice(sp.start, sp.end), row: a.sentenceRow + s }));
const dims = index.manifest.dimensions;
const { mean, meanDots, centredNorms, meanSquare } = index.sentenceStats;
const signals = ['sem', 'centred', 'cov', 'covClose', 'type'] as const;
for (const file of process.argv.slice(2)) {
  const set = JSON.parse(readFileSync(file, 'utf8'));
  const ranks: Record<string, number[]> = Object.fromEntries(signals.map((s) => [s, []]));
  for (const item of set.answerable) {
    const q = item.question; const v = await engine.embedder.embedQuery(q); const asked = questionTerms(q, index.lexical);
    let qdm = 0, qsq = 0; for (let d = 0; d < dims; d++) { qdm += v[d]! * mean[d]!; qsq += v[d]! * v[d]!; }
    const qcn = Math.sqrt(Math.max(1e-12, qsq - 2 * qdm + meanSquare));
    const at = expectedAnswerType(q);
    const scored = sents.map((s) => { const sem = index.sentenceVectors.dot(s.row, v); const st = new Set(terms(s.text));
      return { s, sem, centred: (sem - qdm - meanDots[s.row]! + meanSquare) / (qcn * centredNorms[s.row]!), cov: coverage(asked, st), covClose: coverage(asked, st, 0.6), type: at && holdsAnswerType(at, s.text, q) ? 1 : 0, good: item.expect.some((e: string) => s.text.includes(e) || e.includes(s.text)) }; });
    const line: string[] = [];
    for (const sig of signals) {
      const sorted2 = [...scored].sort((a, b) => (b as any)[sig] - (a as any)[sig]); line.push(`${sig}=${sorted2.findIndex((x) => x.good) + 1}`);
    }
    if (process.env.PER) console.log(line.join(' '), q);
    for (const sig of signals) {
      const sorted = [...scored].sort((a, b) => (b as any)[sig] - (a as any)[sig]);
      ranks[sig]!.push(sorted.findIndex((x) => x.good) + 1);
    }
  }
  for (const sig of signals) { const r = ranks[sig]!; console.log(file.split('/').pop(), sig.padEnd(8), 'top1', r.filter((x) => x === 1).length, 'top3', r.filter((x) => x >= 1 && x <= 3).length, 'MRR', (r.reduce((a, x) => a + (x > 0 ? 1 / x : 0), 0) / r.length).toFixed(3), 'notfound', r.filter((x) => x === 0).length); }
}
