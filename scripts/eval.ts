// npm run eval -- [--set FILE|DIR ...] [--models a,b,c] [--modes hybrid,dense,lexical] [--json] [--verbose]
// Answer quality of every model × retrieval mode on one or more eval sets, in one table.
import '../src/env-file.js';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { exitWithError, openEngine } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { evaluate, formatReports, loadEvalSet, loadQaSet, type EvalReport } from '../src/eval/evaluate.js';
import type { RetrievalMode } from '../src/retrieve/search.js';
import { buildIndex } from '../src/indexing/build.js';
import { answerScorer } from '../src/answer/scorer.js';
import { secondLook } from '../src/answer/second-look.js';
import { configWithFlags, parseCli } from './cli-args.js';

const USAGE =
  'Usage: npm run eval -- [--set tests/fixtures/eval.json | --set ../shared/story | --set ../shared/qa/squad2-dev | --set ../shared/qa/wikiqa ...] [--models Local/a,Local/b] [--modes hybrid,dense,lexical] [--limit N] [--json] [--verbose] [--corpus DIR]';
const MODES: RetrievalMode[] = ['dense', 'lexical', 'hybrid'];

try {
  const { values } = parseCli(
    {
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      set: { type: 'string', multiple: true },
      models: { type: 'string' },
      modes: { type: 'string' },
      limit: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const base = configWithFlags(values);
  const models = values.models
    ? values.models
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean)
    : [base.embedding.model];
  const modes = (values.modes ? values.modes.split(',').map((m) => m.trim()) : MODES) as RetrievalMode[];
  const badMode = modes.find((m) => !MODES.includes(m));
  if (badMode) throw new ConfigError(`--modes takes ${MODES.join(', ')} (got "${badMode}").\n${USAGE}`);
  const setFiles = (values.set?.length ? values.set : ['tests/fixtures/eval.json']).map((s) => path.resolve(s));

  const reports: (EvalReport & { set: string })[] = [];
  for (const setFile of setFiles) {
    const setName = path.basename(setFile).replace(/\.(json|tsv)(\.gz)?$/, '');
    const qaFile = await qaFileIn(setFile);
    // A public QA set is its own corpus; a story folder is evaluated on its articles plus the project's corpus, copied
    // together outside the repository.
    const set = qaFile
      ? await loadQaSet(qaFile, path.resolve('.data/eval', setName, 'corpus'), values.limit ? Number(values.limit) : Infinity)
      : await loadEvalSet(setFile);
    const corpusDir = qaFile ? set.articlesDir! : set.articlesDir ? await combinedCorpus(setName, [set.articlesDir, base.corpusDir]) : base.corpusDir;
    for (const model of models) {
      // Only the model changes between runs: the answer scorer and its decline threshold are the same for all.
      const config = configWithFlags(values, { EMBEDDING_MODEL: model });
      config.corpusDir = corpusDir;
      config.indexDir = path.resolve('.data/eval', setName, model.replace(/[^\w.-]+/g, '_'));
      const embedder = await loadEmbedder(config.embedding);
      // The eval measures the corpus as it is: bring the index up to date first (a no-op when it is).
      await buildIndex(config, embedder, { onWarning: (w) => console.error(`Warning: skipped ${w.file}: ${w.reason}`) });
      const engine = await openEngine(config, embedder);
      reports.push({ ...(await evaluate(engine, set, modes)), set: setName });
    }
  }
  if (values.json) console.log(JSON.stringify(reports));
  else {
    console.log(answerScorer().describe());
    console.log(secondLook().describe());
    console.log(formatReports(reports));
    if (values.verbose) {
      for (const r of reports)
        for (const m of r.modes)
          for (const miss of m.misses) console.log(`[${r.set} ${r.model} ${m.mode}] ${miss.kind}: ${miss.question}\n    got: ${miss.got ?? '(declined)'}`);
    }
  }
} catch (error) {
  exitWithError(error);
}

/**
 * The public QA file of a set: a SQuAD-shaped `*.json.gz` ({"data": …}) or a WikiQA TSV, given or in the folder (of
 * WikiQA's splits, the test split); null for the other kinds of set.
 */
async function qaFileIn(setPath: string): Promise<string | null> {
  if (/\.(json|tsv)\.gz$/.test(setPath)) return setPath;
  const entries = await readdir(setPath).catch(() => [] as string[]);
  const found = entries.find((e) => (e.endsWith('.json.gz') && !e.startsWith('questions')) || /^WikiQA-test\.tsv\.gz$/.test(e));
  return found ? path.join(setPath, found) : null;
}

/** The folders' files copied into one corpus under .data/eval (refreshed each run; unchanged files are not re-embedded). */
async function combinedCorpus(name: string, folders: string[]): Promise<string> {
  const dir = path.resolve('.data/eval', name, 'corpus');
  await rm(dir, { recursive: true, force: true });
  for (const [i, folder] of folders.entries()) {
    await mkdir(path.join(dir, String(i)), { recursive: true });
    for (const entry of await readdir(folder))
      await cp(path.join(folder, entry), path.join(dir, String(i), entry), { recursive: true, preserveTimestamps: true });
  }
  return dir;
}
