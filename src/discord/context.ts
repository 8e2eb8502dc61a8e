// What every command, button and event handler is given: the engine's facade, settings, logs, and the
// shared way of answering a question (rate limit, queue, metrics).
import type { Answer } from '../answer/types.js';
import type { DiscordConfig } from '../config.js';
import type { StoryDesk } from '../desk.js';
import type { Logger } from '../log.js';
import { ConversationMemory } from '../conversation/memory.js';
import { readFollowUp } from '../conversation/follow-up.js';
import { withoutChatFrame } from '../question/chat-frame.js';
import type { FeedbackStore, StoredQuestion } from '../feedback/store.js';
import type { InFlight } from './lifecycle.js';
import { RateLimiter, WorkQueue } from './limits.js';

/** How a question came in ('more': the More button, which asks again with more quotes; 'vote': a vote, for the rate limit). */
export type Via = 'mention' | 'dm' | 'slash' | 'context-menu' | 'more' | 'vote';

export interface BotHooks {
  /** Called once per question answered (or declined), for metrics. */
  onAnswer?(answer: Answer, via: Via, latencyMs: number): void;
  onError?(): void;
  /** Called when a question is turned away by the per-user rate limit. */
  onRateLimited?(via: Via): void;
  /** Called when questions or votes could not be stored (the answers were posted all the same). */
  onFeedbackFailed?(error: Error, lost: number): void;
}

export interface BotContext {
  desk: StoryDesk;
  config: DiscordConfig;
  logger: Logger;
  hooks: BotHooks;
  answers: Answerer;
  feedback: FeedbackStore;
  /** Handlers running now; `accepting` turns false when a graceful stop begins. */
  inFlight: InFlight;
}

/** An answer and the id it is stored under (its buttons carry the id). */
export interface Answered {
  answer: Answer;
  questionId: number;
  /** What was answered, as read (a follow-up filled, a statement beside the question set aside), else as asked. */
  question: string;
}

/** The conversation a follow-up belongs to: a DM or a thread, and the person (others' questions never mix in). */
export function conversationKey(where: { channelId: string; userId: string; inDm: boolean; inThread: boolean }): string | null {
  if (where.inDm) return `dm:${where.channelId}:${where.userId}`;
  if (where.inThread) return `thread:${where.channelId}:${where.userId}`;
  return null;
}

/** Question texts by stored id, for "More" when question text is not stored: bounded, lost on restart. */
const REMEMBERED_QUESTIONS = 2000;

/**
 * Votes per user and window: far more than anyone rates by hand, few enough that a flood of clicks costs
 * nothing (past the limit a click is told once, then ignored, as a spammer's messages are).
 */
export const VOTE_LIMIT = { count: 10, windowMs: 60_000 };

/** Questions in, answers out, fairly: a per-user limit and a cap on answers computed at once. */
export class Answerer {
  private readonly limiter: RateLimiter;
  private readonly voteLimiter = new RateLimiter(VOTE_LIMIT.count, VOTE_LIMIT.windowMs);
  private readonly queue: WorkQueue;

  private readonly recent = new Map<number, string>();
  private readonly memory: ConversationMemory;

  constructor(
    private readonly desk: StoryDesk,
    config: DiscordConfig,
    private readonly hooks: BotHooks,
    private readonly feedback: FeedbackStore,
  ) {
    this.limiter = new RateLimiter(config.rateLimitCount, config.rateLimitWindowMs);
    this.queue = new WorkQueue(config.maxConcurrentAnswers);
    this.memory = new ConversationMemory(config.followUpMemoryMs);
  }

  /** 0 when the user may ask now (the question is counted), else the milliseconds to wait. */
  take(userId: string, via: Via): number {
    const wait = this.limiter.take(userId);
    if (wait) this.hooks.onRateLimited?.(via);
    return wait;
  }

  /** True for the first refusal in a user's window: tell them once, then stay silent until the window ends. */
  noticeDue(userId: string): boolean {
    return this.limiter.noticeDue(userId);
  }

  /** As `take`, for votes (their own, separate limit): 0 when the user may vote now. */
  takeVote(userId: string): number {
    const wait = this.voteLimiter.take(userId);
    if (wait) this.hooks.onRateLimited?.('vote');
    return wait;
  }

  voteNoticeDue(userId: string): boolean {
    return this.voteLimiter.noticeDue(userId);
  }

  /**
   * Answers a question, reading a follow-up with the previous question of its conversation (`conversation`:
   * a DM or thread and the person; `replyTo`: the bot's answer being replied to), records it with its outcome
   * and returns the id its buttons carry. The answer's `readAs` says how a follow-up was read. Recording only
   * queues the write (made after the reply is posted): the answer never waits for or fails on the store.
   */
  async answer(asked: string, via: Via, asker: { userId: string; conversation?: string | null; replyTo?: string | null }): Promise<Answered> {
    const previous =
      (asker.replyTo ? this.memory.previous(`message:${asker.replyTo}`) : null) ?? (asker.conversation ? this.memory.previous(asker.conversation) : null);
    // "thanks! and what about sanctions?": the chat around it does not hide that it points back.
    const followUp = previous ? readFollowUp(previous, withoutChatFrame(asked)) : null;
    const question = followUp ?? asked;
    const started = performance.now();
    const answered = await this.queue.run(() => this.desk.ask(question));
    this.hooks.onAnswer?.(answered, via, performance.now() - started);
    // The engine's own reading (a corrected typo) is of the filled question: the more precise of the two.
    const answer: Answer = { ...answered, readAs: answered.readAs ?? followUp };
    const readAs = answer.readAs;
    let questionId = 0; // no answer has id 0: a vote on it is told the answer is not stored
    try {
      questionId = this.feedback.recordQuestion({ userId: asker.userId, via, question: asked, readAs, answer });
    } catch (error) {
      this.hooks.onFeedbackFailed?.(error as Error, 1);
    }
    // What was answered, as read: a follow-up filled, a typo corrected, the one question of a message with more.
    const answeredAs = readAs ?? question;
    if (questionId) this.recent.set(questionId, answeredAs);
    if (this.recent.size > REMEMBERED_QUESTIONS) this.recent.delete(this.recent.keys().next().value!);
    // A message that is only chat ("thanks!") leaves the conversation's last question as it was, to follow up on.
    if (asker.conversation && answer.status !== 'empty-question') this.memory.remember(asker.conversation, answeredAs);
    return { answer, questionId, question: answeredAs };
  }

  /** A reply to this message of the bot's is a follow-up of `question`. */
  rememberAnswerMessage(messageId: string, question: string): void {
    this.memory.remember(`message:${messageId}`, question);
  }

  /** The question a stored answer was given for, when still known (stored text, or this process's memory). */
  questionOf(questionId: number): string | null {
    let stored: StoredQuestion | null;
    try {
      stored = this.feedback.question(questionId);
    } catch (error) {
      // An unreadable store still leaves this process's memory.
      this.hooks.onFeedbackFailed?.(error as Error, 0);
      return this.recent.get(questionId) ?? null;
    }
    if (!stored) return this.recent.get(questionId) ?? null; // expired, or its write failed
    return stored.readAs ?? stored.question ?? this.recent.get(questionId) ?? null;
  }

  /** More of what the articles say: the same question with more quotes allowed (queued like any answer). */
  expand(question: string, maxExcerpts: number): Promise<Answer> {
    return this.queue.run(() => this.desk.ask(question, { maxExcerpts }));
  }
}
