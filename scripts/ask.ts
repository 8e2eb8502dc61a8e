// npm run ask -- "question" ["another question" ...] [--json] [--stdin] [--index DIR] [--mode hybrid|dense|lexical]
import '../src/env-file.js';
import { createInterface } from 'node:readline';
import { exitWithError, openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import { ConfigError } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { answerJson, renderAnswerText } from '../src/render/terminal.js';
import { terminalSafe, terminalSafeJson } from '../src/render/terminal-safe.js';
import type { RetrievalMode } from '../src/retrieve/search.js';
import { buildIndex } from '../src/indexing/build.js';
import { currentVersionDir } from '../src/store/files.js';
import { configWithFlags, endQuietlyOnClosedPipe, parseCli } from './cli-args.js';

const USAGE = 'Usage: npm run ask -- "What did Putin and Kim sign?" [more questions] [--json] [--stdin] [--index DIR] [--mode hybrid|dense|lexical]';

endQuietlyOnClosedPipe();

try {
  const { values, positionals } = parseCli({ json: { type: 'boolean' }, stdin: { type: 'boolean' }, mode: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const mode = (values.mode ?? 'hybrid') as RetrievalMode;
  if (!['hybrid', 'dense', 'lexical'].includes(mode)) throw new ConfigError(`--mode must be hybrid, dense or lexical (got "${mode}").`);
  if (!values.stdin && !positionals.length) throw new ConfigError(`Give a question.\n${USAGE}`);
  const config = configWithFlags(values);
  // Loading starts now and goes on beside the index's (openEngine); a failure is reported where it is awaited.
  const embedder = loadEmbedder(config.embedding);
  embedder.catch(() => undefined);
  if (!(await currentVersionDir(config.indexDir))) {
    console.error(`No index in ${config.indexDir} yet: building it from ${config.corpusDir} (next time: npm run index).`);
    await buildIndex(config, await embedder, { onWarning: (w) => console.error(terminalSafe(`Warning: skipped ${w.file}: ${w.reason}`)) });
  }
  const engine = await openEngine(config, embedder);
  const answerOne = async (question: string) => {
    const answer = await ask(engine, question, mode);
    console.log(values.json ? terminalSafeJson(answerJson(answer)) : `${renderAnswerText(answer)}\n`);
  };
  for (const question of positionals) await answerOne(question);
  if (values.stdin) {
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) if (line.trim()) await answerOne(line);
  }
} catch (error) {
  exitWithError(error);
}
