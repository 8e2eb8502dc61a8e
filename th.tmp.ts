import { thesaurus } from './src/retrieve/thesaurus.js';
for (const p of process.argv.slice(2)) console.log(p, [...thesaurus().related(p)].filter(([w]) => /capital|international|authority/.test(w) || process.env.ALL).map(([w, c]) => `${w}@${c}`).join(', '));
