// Runs the report in a child process with a time and memory budget: the bot's /report and `npm run report`
// share it. Past the budget the process is stopped and the editor told how to ask for less. A process, not a
// worker thread: the model runtime loaded and unloaded in worker threads corrupted the bot's heap (an abort
// after ~20 reports), and a process's crash cannot take the bot with it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmbeddingConfig } from '../config.js';
import { EmbeddingModelError } from '../embed/embedder.js';
import type { Report } from './report.js';
import { FeedbackError } from './store.js';

export interface ReportJob {
  file: string;
  since: number;
  now: number;
  embedding: EmbeddingConfig;
  /** Grouping stops embedding questions then (what is left is counted as not grouped). */
  groupUntil: number;
}

export type ReportReply = { report: Report } | { error: { name: string; message: string } };

export interface ReportBudget {
  timeMs: number;
  memoryMb: number;
}

/** A minute covers 100k questions many times over; a report is not worth more of a shared machine. */
export const DEFAULT_REPORT_BUDGET: ReportBudget = { timeMs: 60_000, memoryMb: 1024 };

export class ReportBudgetError extends FeedbackError {
  override name = 'ReportBudgetError';
}

/** From source (as the bot and the scripts run) a small .mjs registers the TypeScript hooks first. */
const ENTRY = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './report-worker-boot.mjs' : './report-worker.js', import.meta.url));

export async function runReport(job: Omit<ReportJob, 'groupUntil' | 'now'> & { now?: number }, budget: ReportBudget = DEFAULT_REPORT_BUDGET): Promise<Report> {
  const started = Date.now();
  // Grouping gets until two thirds of the budget; counting, loading the model and the rest fit in the remainder.
  const data: ReportJob = { ...job, now: job.now ?? started, groupUntil: started + (budget.timeMs * 2) / 3 };
  const child = fork(ENTRY, [], {
    execArgv: [`--max-old-space-size=${budget.memoryMb}`],
    // Its output would mix with the bot's log lines; the end of stderr is kept for the message of a crash.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<ReportReply>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new ReportBudgetError(`The report took longer than ${budget.timeMs / 1000} s and was stopped. Ask for a shorter period.`)),
        budget.timeMs,
      );
      child.once('message', (message) => resolve(message as ReportReply));
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(
          /heap out of memory/i.test(stderr)
            ? new ReportBudgetError(`The report needed more than ${budget.memoryMb} MB and was stopped. Ask for a shorter period.`)
            : new Error(`The report stopped early (${signal ?? `exit code ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`),
        ),
      );
      child.send(data);
    });
    if ('report' in reply) return reply.report;
    throw reply.error.name === 'EmbeddingModelError'
      ? new EmbeddingModelError(reply.error.message)
      : reply.error.name === 'FeedbackError'
        ? new FeedbackError(reply.error.message)
        : new Error(reply.error.message);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
