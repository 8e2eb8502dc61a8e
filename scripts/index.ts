// npm run index [-- --corpus DIR --index DIR --full]: builds or updates the vector index.
import '../src/env-file.js';
import { removeAbandonedAdds } from '../src/adding/add.js';
import { exitWithError } from '../src/app.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/indexing/build.js';
import { configWithFlags, parseCli } from './cli-args.js';
import { progressReporter } from './progress.js';

const USAGE = 'Usage: npm run index -- [--corpus DIR] [--index DIR] [--full]';

try {
  const { values } = parseCli({ full: { type: 'boolean' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config = configWithFlags(values, {}, 'build');
  console.error(`Indexing ${config.corpusDir} → ${config.indexDir} with ${config.embedding.model}`);
  const embedder = await loadEmbedder(config.embedding);
  // An `npm run add` or /add killed before its index was built: its article was never reported, so it is not indexed.
  for (const file of await removeAbandonedAdds(config.corpusDir)) console.error(`Cleanup: removed ${file}, left by an add that was stopped`);
  // One reporter per stage: each ETA counts from its own stage's start.
  const reading = progressReporter('files read');
  const embedding = progressReporter('chunks');
  const summary = await buildIndex(config, embedder, {
    full: values.full === true,
    onWarning: (w) => console.error(`Warning: skipped ${w.file}: ${w.reason}`),
    onNote: (n) => console.error(`Note: ${n.file}: ${n.note}`),
    onRepair: (r) => console.error(`Repair: index segment ${r.segment}: ${r.problem}; embedding its ${r.articles} article(s) again`),
    onLockWait: (holder) => console.error(`Waiting for another index build to finish (${holder})…`),
    onCleanup: (what) => console.error(`Cleanup: ${what}`),
    onPlan: (p) =>
      console.error(`${p.embed} article(s) to embed (${p.passages} chunks), ${p.reuse} unchanged, ${p.remove} removed${p.reason ? ` — ${p.reason}` : ''}`),
    onRead: (done, total) => reading.update(done, total),
    onProgress: (done, total, share) => embedding.update(done, total, share),
  });
  console.log(
    `Indexed ${summary.articles} article(s), ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s` +
      ` (${summary.embeddedArticles} embedded, ${summary.reusedArticles} unchanged, ${summary.removedArticles} removed` +
      `${summary.warnings.length ? `, ${summary.warnings.length} skipped` : ''}` +
      `${summary.repairs.length ? `, ${summary.repairs.length} damaged segment(s) repaired` : ''}).`,
  );
  // Every file left out is named again at the end, where it is read.
  if (summary.warnings.length) console.log(`Skipped:\n${summary.warnings.map((w) => `  ${w.file}: ${w.reason}`).join('\n')}`);
} catch (error) {
  exitWithError(error);
}
