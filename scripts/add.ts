// npm run add -- <url|file> [...] [--corpus DIR] [--index DIR]: fetches or copies articles into
// corpus/added/, indexes them, and says what it detected. A running bot answers from them on its next reload.
import '../src/env-file.js';
import os from 'node:os';
import { exitWithError } from '../src/app.js';
import { addArticles, describeAdded, fetchOptionsOf, type AddInput } from '../src/adding/add.js';
import { ConfigError } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { terminalSafe } from '../src/render/terminal-safe.js';
import { configWithFlags, parseCli } from './cli-args.js';

const USAGE = 'Usage: npm run add -- <https://link | file.html | file.pdf | file.txt> [...] [--corpus DIR] [--index DIR]';

try {
  const { values, positionals } = parseCli({}, USAGE);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!positionals.length) throw new ConfigError(`Give a link or a file to add.\n${USAGE}`);
  const config = configWithFlags(values, {}, 'build');
  const inputs: AddInput[] = positionals.map((arg) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) ? { url: arg } : { path: arg }));
  const embedder = await loadEmbedder(config.embedding);
  const result = await addArticles(
    inputs,
    config,
    embedder,
    { fetch: fetchOptionsOf(config), addedBy: `${os.userInfo().username} (npm run add)` },
    {
      onLockWait: (holder) => console.error(`Waiting for another index build to finish (${holder})…`),
    },
  );
  // A fetched page's title, publisher and a server's words are printed: no escape sequence of theirs reaches the terminal.
  for (const article of result.added) console.log(terminalSafe(describeAdded(article)));
  for (const failure of result.failed) console.error(terminalSafe(`Not added: ${failure.input}: ${failure.reason}`));
  if (result.summary) console.log(`Index: ${result.summary.articles} article(s), ${result.summary.chunks} chunks (a running bot picks it up within seconds).`);
  process.exit(result.failed.length ? 1 : 0);
} catch (error) {
  exitWithError(error);
}
