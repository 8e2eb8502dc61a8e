// Parsing under a budget: each article file is parsed (and split into sentences) in a worker thread with a
// time limit (a timer, then terminate()) and a memory limit (the worker's heap limit, and the process's
// resident memory for what lives outside the heap, such as a PDF stream pdf.js inflates). A file over
// budget is refused with its reason; the worker is replaced and the next file goes on.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Span } from '../chunk/sentences.js';
import { ArticleError, type ParsedFile } from './parse.js';
import type { ArticleFile } from './types.js';

export interface ParseBudget {
  /** Wall-clock time one file may take to parse. */
  timeMs: number;
  /** Memory one file may take to parse: the worker's heap, and growth of the process's resident memory. */
  memoryBytes: number;
}

export interface BudgetedParse {
  parsed: ParsedFile;
  sentences: Span[];
}

export interface ParseRequest {
  id: number;
  file: ArticleFile;
}

export type ParseReply =
  | ({ id: number; ok: true } & BudgetedParse)
  | { id: number; ok: false; article: boolean; message: string };

/** The defaults of ARTICLE_PARSE_SECONDS and ARTICLE_PARSE_MEMORY_MB (src/config.ts says why). */
export const DEFAULT_PARSE_BUDGET: ParseBudget = { timeMs: 30_000, memoryBytes: 512 * 2 ** 20 };

/** Loading the parsers (and, run from source, compiling them) on a busy machine. */
const STARTUP_MS = 60_000;

/** How often resident memory is checked while a file parses. */
const MEMORY_POLL_MS = 50;
/** The process may grow by this many times the budget while a file is read (see the poll in run()). */
const RSS_BUDGET_FACTOR = 2;

const here = fileURLToPath(import.meta.url);
// Run from source (npm start, npm run …, tests): the worker is TypeScript too and needs a TypeScript loader.
const fromSource = here.endsWith('.ts');
const workerFile = path.join(path.dirname(here), `parse-worker${fromSource ? '.ts' : '.js'}`);
// The worker registers the TypeScript hooks itself first (a worker's own entry file is not covered by the parent's
// --import): the in-thread ones of scripts/ts-hooks.mjs, which fall back to tsx where Node lacks registerHooks.
const workerSource = fromSource
  ? `import(${JSON.stringify(pathToFileURL(path.resolve(path.dirname(here), '../../scripts/ts-hooks.mjs')).href)}).then(() => import(${JSON.stringify(pathToFileURL(workerFile).href)}));`
  : null;

/**
 * One worker, reused file after file (starting one costs loading the parsers), replaced after a file that
 * broke its budget. close() when done: an idle worker would keep the process alive.
 */
export class BudgetedParser {
  private worker: { thread: Worker; ready: Promise<void> } | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly budget: ParseBudget) {}

  /** Parses one file within the budget; throws ArticleError (with the reason) when it cannot or over budget. */
  parse(file: ArticleFile): Promise<BudgetedParse> {
    // One file at a time per worker: each file's time and memory are its own.
    const run = this.queue.then(() => this.run(file));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.thread.terminate();
  }

  private start(): { thread: Worker; ready: Promise<void> } {
    const heapMb = Math.max(16, Math.floor(this.budget.memoryBytes / 2 ** 20));
    const worker = new Worker(workerSource ?? workerFile, {
      eval: workerSource !== null,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the parser did not start')), STARTUP_MS);
      const done = (error?: Error) => {
        clearTimeout(timer);
        worker.off('message', onReady);
        worker.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      const onReady = (message: { ready?: boolean }) => message.ready && done();
      worker.on('message', onReady);
      worker.once('error', done);
    });
    return { thread: worker, ready };
  }

  private async run(file: ArticleFile): Promise<BudgetedParse> {
    this.worker ??= this.start();
    const { thread: worker, ready } = this.worker;
    worker.ref();
    try {
      await ready;
    } catch (error) {
      this.worker = null;
      void worker.terminate();
      throw new ArticleError(`could not be parsed (${(error as Error).message.split('\n')[0]})`);
    }
    const id = this.nextId++;
    const seconds = Math.round(this.budget.timeMs / 100) / 10;
    const megabytes = Math.round(this.budget.memoryBytes / 2 ** 20);
    return new Promise<BudgetedParse>((resolve, reject) => {
      const baseline = process.memoryUsage.rss();
      let settled = false;
      const finish = (outcome: { value: BudgetedParse } | { error: Error }, broken = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (broken) {
          if (this.worker?.thread === worker) this.worker = null;
          void worker.terminate();
        }
        if ('value' in outcome) resolve(outcome.value);
        else reject(outcome.error);
      };
      const overBudget = (reason: string) => finish({ error: new ArticleError(reason) }, true);
      const timer = setTimeout(
        () => overBudget(`took longer than ${seconds} s to read (the limit, ARTICLE_PARSE_SECONDS=${seconds}: raise it if the file is genuine)`),
        this.budget.timeMs,
      );
      const tooBig = `needed more than ${megabytes} MB of memory to read, a compressed stream inflating without end? (the limit, ARTICLE_PARSE_MEMORY_MB=${megabytes}: raise it if the file is genuine)`;
      // The heap limit does not see buffers outside the heap (pdf.js inflates streams into them): watch the process.
      // Its resident size also holds the worker's heap at up to the budget, that heap's young generation and the main
      // thread's answering meanwhile (a 3 MB text peaks at 130-230 MB here, by Node line), so it trips at
      // RSS_BUDGET_FACTOR times the budget: still far below what an inflating stream reaches.
      const poll = setInterval(() => {
        if (process.memoryUsage.rss() - baseline > RSS_BUDGET_FACTOR * this.budget.memoryBytes) overBudget(tooBig);
      }, MEMORY_POLL_MS);
      const onMessage = (reply: ParseReply) => {
        if (reply.id !== id) return;
        if (reply.ok) {
          const { id: _, ok: __, ...value } = reply;
          finish({ value });
        }
        else if (reply.article) finish({ error: new ArticleError(reply.message) });
        else finish({ error: new ArticleError(`could not be parsed (${reply.message})`) });
      };
      const onError = (error: Error & { code?: string }) =>
        overBudget(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig : `could not be parsed (${error.message.split('\n')[0]})`);
      const onExit = (code: number) => overBudget(`could not be parsed (the parser stopped, exit code ${code})`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, file } satisfies ParseRequest);
    }).finally(() => worker.unref());
  }
}
