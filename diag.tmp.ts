import { loadCoreConfig } from './src/config.js';
import { openEngine } from './src/app.js';
import { ask } from './src/answer/ask.js';
import { readFileSync } from 'node:fs';
const engine = await openEngine(loadCoreConfig());
const allA: number[] = [], allO: number[] = [];
const show = process.env.SHOW ?? 'miss';
for (const file of process.argv.slice(2)) {
  const set = JSON.parse(readFileSync(file, 'utf8'));
  let h1 = 0, h3 = 0, fr = 0, ot = 0; const ac: number[] = [], oc: number[] = [];
  for (const item of set.answerable) {
    const a = await ask(engine, item.question);
    const rank = a.excerpts.findIndex((e) => item.expect.some((s: string) => e.quote.includes(s)));
    if (rank === 0) h1++; if (rank >= 0 && rank < 3) h3++; ac.push(a.confidence); if (!a.answered) fr++;
    if (show === 'all' || (show === 'miss' && rank !== 0)) console.log(`A ${a.confidence.toFixed(3)} r=${rank} n=${a.excerpts.length} ${item.question}`);
  }
  for (const item of set.offTopic) {
    const a = await ask(engine, item.question);
    if (a.answered) ot++; oc.push(a.confidence);
    if (show !== 'none') console.log(`O ${a.confidence.toFixed(3)} ${a.answered ? 'ANSWERED' : ''} ${item.question}`);
  }
  allA.push(...ac); allO.push(...oc);
  console.log(`== ${file.split('/').pop()}: hit@1 ${h1} hit@3 ${h3}/${set.answerable.length} falseRef ${fr} offAnswered ${ot}/${set.offTopic.length}`);
}

const cands = [...new Set([...allA, ...allO])].sort((a, b) => a - b);
let best = { t: 0, e: 1e9 };
for (let i = 0; i < cands.length; i++) { const t = i + 1 < cands.length ? (cands[i]! + cands[i + 1]!) / 2 : cands[i]! + 0.01; const e = allA.filter((c) => c < t).length + allO.filter((c) => c >= t).length; if (e < best.e) best = { t, e }; }
const at = (t: number) => `${allA.filter((c) => c < t).length} falseRef + ${allO.filter((c) => c >= t).length} offAnswered`;
console.log(`floor ${engine.config.minScore}: ${at(engine.config.minScore)}; best ${best.t.toFixed(3)}: ${at(best.t)}`);
