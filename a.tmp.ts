import { loadCoreConfig } from './src/config.js';
import { openEngine } from './src/app.js';
import { ask } from './src/answer/ask.js';
const engine = await openEngine(loadCoreConfig());
for (const q of process.argv.slice(2)) { const a = await ask(engine, q); console.log(q, a.confidence); for (const e of a.excerpts) console.log('  >', e.quote); }
