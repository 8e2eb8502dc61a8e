// npm run eval [-- --json] [--set FILE] [--index DIR] [--verbose]: answer quality, dense vs lexical vs hybrid, side by side.
import path from 'node:path';
import { exitWithError, openEngine } from '../src/app.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { evaluate, formatReport, loadEvalSet } from '../src/eval/evaluate.js';
import { buildIndex } from '../src/store/build.js';
import { configWithFlags, parseCli } from './cli-args.js';

const USAGE = 'Usage: npm run eval -- [--json] [--verbose] [--set tests/fixtures/eval.json] [--corpus DIR] [--index DIR]';

try {
  const { values } = parseCli({ json: { type: 'boolean' }, verbose: { type: 'boolean' }, set: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config = configWithFlags(values);
  const embedder = await loadEmbedder(config.embedding);
  // The eval measures the corpus as it is: bring the index up to date first (a no-op when it is).
  await buildIndex(config, embedder, { onWarning: (w) => console.error(`Warning: skipped ${w.file}: ${w.reason}`) });
  const engine = await openEngine(config, embedder);
  const set = await loadEvalSet(path.resolve(typeof values.set === 'string' ? values.set : 'tests/fixtures/eval.json'));
  const report = await evaluate(engine, set);
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(formatReport(report));
    if (values.verbose) for (const m of report.modes) for (const miss of m.misses) console.log(`[${m.mode}] miss: ${miss.question}\n    got: ${miss.got ?? '(declined)'}`);
  }
} catch (error) {
  exitWithError(error);
}
