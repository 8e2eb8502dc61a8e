// Counters and a latency histogram in Prometheus text format, for `/metrics`.
import type { Answer } from '../answer/types.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  private readonly questions = new Map<string, number>();
  private errors = 0;
  private feedbackFailures = 0;
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;

  recordAnswer(answer: Answer, via: string, latencyMs: number): void {
    const key = `via="${via}",outcome="${answer.status}"`;
    this.questions.set(key, (this.questions.get(key) ?? 0) + 1);
    const seconds = latencyMs / 1000;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.bucketCounts[i]!++;
    });
    this.latencySum += seconds;
    this.latencyCount++;
  }

  recordRateLimited(via: string): void {
    const key = `via="${via}",outcome="rate-limited"`;
    this.questions.set(key, (this.questions.get(key) ?? 0) + 1);
  }

  recordError(): void {
    this.errors++;
  }

  /** Questions or votes the feedback store could not write (the answers were posted all the same). */
  recordFeedbackFailure(lost: number): void {
    this.feedbackFailures += lost;
  }

  render(index: { articles: number; chunks: number }, shards: { id: number; ready: boolean; pingMs: number }[] = []): string {
    const lines = [
      '# HELP storydesk_questions_total Questions handled, by channel and outcome (answered, not-covered, empty-question, rate-limited).',
      '# TYPE storydesk_questions_total counter',
      ...[...this.questions].map(([labels, n]) => `storydesk_questions_total{${labels}} ${n}`),
      '# HELP storydesk_errors_total Handler failures answered with an apology.',
      '# TYPE storydesk_errors_total counter',
      `storydesk_errors_total ${this.errors}`,
      '# HELP storydesk_feedback_write_failures_total Questions and votes the feedback database could not store (answers still posted).',
      '# TYPE storydesk_feedback_write_failures_total counter',
      `storydesk_feedback_write_failures_total ${this.feedbackFailures}`,
      '# HELP storydesk_answer_latency_seconds Time from question to answer object, queueing included.',
      '# TYPE storydesk_answer_latency_seconds histogram',
      ...BUCKETS.map((b, i) => `storydesk_answer_latency_seconds_bucket{le="${b}"} ${this.bucketCounts[i]}`),
      `storydesk_answer_latency_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
      `storydesk_answer_latency_seconds_sum ${this.latencySum}`,
      `storydesk_answer_latency_seconds_count ${this.latencyCount}`,
      '# HELP storydesk_index_chunks Chunks in the loaded index.',
      '# TYPE storydesk_index_chunks gauge',
      `storydesk_index_chunks ${index.chunks}`,
      '# HELP storydesk_index_articles Articles in the loaded index.',
      '# TYPE storydesk_index_articles gauge',
      `storydesk_index_articles ${index.articles}`,
      '# HELP storydesk_shard_up Shards of this process: 1 while connected to the gateway.',
      '# TYPE storydesk_shard_up gauge',
      ...shards.map((s) => `storydesk_shard_up{shard="${s.id}"} ${s.ready ? 1 : 0}`),
      '# HELP storydesk_shard_ping_seconds Last gateway heartbeat round trip per shard.',
      '# TYPE storydesk_shard_ping_seconds gauge',
      ...shards.filter((s) => s.pingMs >= 0).map((s) => `storydesk_shard_ping_seconds{shard="${s.id}"} ${s.pingMs / 1000}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
