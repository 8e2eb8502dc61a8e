import { loadCoreConfig } from './src/config.js';
import { openEngine } from './src/app.js';
import { denseSearch, candidateChunks, fuse } from './src/retrieve/search.js';
import { questionTerms } from './src/answer/question-terms.js';
import { scoreSentences } from './src/answer/quotes.js';
import { ask } from './src/answer/ask.js';
const config = loadCoreConfig();
const engine = await openEngine(config);
const index = engine.index();
for (const q of process.argv.slice(2)) {
  const v = await engine.embedder.embedQuery(q);
  const asked = questionTerms(q, index.lexical);
  console.log('\n##', q);
  console.log('terms', asked.terms.map(t => `${t.term}:${t.weight.toFixed(2)}[${t.alternatives.map(a => a.terms.join('+') + '@' + a.credit).join(',')}]`).join(' '), 'unknown', asked.unknownShare.toFixed(2));
  const dense = denseSearch(index, v, 20); const lex = index.lexical.search(q, 20, asked.expansions);
  const cands = candidateChunks(fuse(dense, lex, 'hybrid'), dense, lex);
  const ranked = scoreSentences(index, cands, q, asked, v);
  for (const s of ranked.slice(0, Number(process.env.TOP ?? 8))) { const a = index.articles[s.article]!; const sp = a.sentences[s.sentence]!; console.log(s.score.toFixed(3), s.relevance.toFixed(3), a.text.slice(sp.start, sp.end).slice(0, 110)); }
  const ans = await ask(engine, q); console.log('excerpts', ans.excerpts.length, ans.confidence);
}
