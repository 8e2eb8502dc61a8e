// The report's own process: opens the feedback file read-only, loads the model, builds the report, sends it
// back. It runs apart from the bot, so a report over a large table never delays an answer, and whatever
// happens in it (out of memory, a crash in the model runtime) cannot take the bot down.
import { loadEmbedder } from '../embed/embedder.js';
import { buildReport } from './report.js';
import type { ReportJob, ReportReply } from './run-report.js';
import { FeedbackReader } from './store.js';

async function run(job: ReportJob): Promise<ReportReply> {
  let reader: FeedbackReader | null = null;
  try {
    reader = FeedbackReader.openReadOnly(job.file);
    const embedder = await loadEmbedder(job.embedding);
    return { report: await buildReport(reader, embedder, job.since, job.now, { groupUntil: job.groupUntil }) };
  } catch (error) {
    return { error: { name: (error as Error).name, message: (error as Error).message } };
  } finally {
    reader?.close();
  }
}

process.once('message', async (job: ReportJob) => {
  const reply = await run(job);
  process.send!(reply, () => process.exit(0));
});
