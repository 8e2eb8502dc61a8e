// What every command, button and event handler is given: the engine's facade, settings, logs, and the
// shared way of answering a question (rate limit, queue, metrics).
import type { Answer } from '../answer/types.js';
import type { DiscordConfig } from '../config.js';
import type { StoryDesk } from '../desk.js';
import type { Logger } from '../log.js';
import { RateLimiter, WorkQueue } from './limits.js';

export type Via = 'mention' | 'dm' | 'slash' | 'context-menu';

export interface BotHooks {
  /** Called once per question answered (or declined), for metrics. */
  onAnswer?(answer: Answer, via: Via, latencyMs: number): void;
  onError?(): void;
  /** Called when a question is turned away by the per-user rate limit. */
  onRateLimited?(via: Via): void;
}

export interface BotContext {
  desk: StoryDesk;
  config: DiscordConfig;
  logger: Logger;
  hooks: BotHooks;
  answers: Answerer;
}

/** Questions in, answers out, fairly: a per-user limit and a cap on answers computed at once. */
export class Answerer {
  private readonly limiter: RateLimiter;
  private readonly queue: WorkQueue;

  constructor(private readonly desk: StoryDesk, config: DiscordConfig, private readonly hooks: BotHooks) {
    this.limiter = new RateLimiter(config.rateLimitCount, config.rateLimitWindowMs);
    this.queue = new WorkQueue(config.maxConcurrentAnswers);
  }

  /** 0 when the user may ask now (the question is counted), else the milliseconds to wait. */
  take(userId: string, via: Via): number {
    const wait = this.limiter.take(userId);
    if (wait) this.hooks.onRateLimited?.(via);
    return wait;
  }

  async answer(question: string, via: Via, options: { maxExcerpts?: number } = {}): Promise<Answer> {
    const started = performance.now();
    const result = await this.queue.run(() => this.desk.ask(question, options));
    this.hooks.onAnswer?.(result, via, performance.now() - started);
    return result;
  }
}
