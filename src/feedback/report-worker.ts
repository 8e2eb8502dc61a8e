// The report's own thread: opens the feedback file read-only, loads the model, builds the report, posts it
// back. It runs apart from the bot's event loop, so a report over a large table never delays an answer.
import { parentPort, workerData } from 'node:worker_threads';
import { loadEmbedder } from '../embed/embedder.js';
import { buildReport } from './report.js';
import type { ReportJob, ReportReply } from './run-report.js';
import { FeedbackReader } from './store.js';

const job = workerData as ReportJob;
let reply: ReportReply;
let reader: FeedbackReader | null = null;
try {
  reader = FeedbackReader.openReadOnly(job.file);
  const embedder = await loadEmbedder(job.embedding);
  reply = { report: await buildReport(reader, embedder, job.since, job.now, { groupUntil: job.groupUntil }) };
} catch (error) {
  reply = { error: { name: (error as Error).name, message: (error as Error).message } };
} finally {
  reader?.close();
}
parentPort!.postMessage(reply);
