// npm run report -- [--since 7d] [--json]: what readers asked that the articles do not cover, answers voted
// not helpful, counts per day and per way of asking, from the bot's feedback database (FEEDBACK_DB), opened
// read-only: the bot owns schema updates and retention. Rows that do not read as a question are skipped and counted.
import '../src/env-file.js';
import { existsSync } from 'node:fs';
import { exitWithError } from '../src/app.js';
import { ConfigError, loadCoreConfig, loadFeedbackConfig } from '../src/config.js';
import { renderReportText } from '../src/feedback/render-report.js';
import { parseSince } from '../src/feedback/report.js';
import { runReport } from '../src/feedback/run-report.js';
import { terminalSafe, terminalSafeJson } from '../src/render/terminal-safe.js';
import { endQuietlyOnClosedPipe, parseCli } from './cli-args.js';

const USAGE = 'Usage: npm run report -- [--since 7d|24h|2w|2026-11-01] [--json] [--db FILE]';

endQuietlyOnClosedPipe();

try {
  const { values } = parseCli({ since: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let since: number;
  try {
    since = parseSince(values.since ?? '7d');
  } catch (error) {
    throw new ConfigError(`--since: ${(error as Error).message}\n${USAGE}`);
  }
  const settings = loadFeedbackConfig(values.db ? { ...process.env, FEEDBACK_DB: values.db } : process.env);
  if (!existsSync(settings.file))
    throw new ConfigError(
      `No feedback database at ${settings.file} yet: it is created when the bot (npm start) answers its first question. Set FEEDBACK_DB if it lives elsewhere.`,
    );
  // Read-only (the bot may be running; the disk may be read-only); grouped with the model the bot answers
  // with, so "similar" means what it means to the bot; in a separate process with a time and memory budget.
  const report = await runReport({ file: settings.file, since, embedding: loadCoreConfig().embedding });
  // Readers' questions are printed: none of their escape sequences reaches the terminal.
  console.log(values.json ? terminalSafeJson(report, 2) : terminalSafe(renderReportText(report)));
} catch (error) {
  exitWithError(error);
}
