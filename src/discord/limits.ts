// Fairness and back-pressure: a per-user sliding window, and a cap on answers computed at once.

interface UserWindow {
  /** When the user's counted questions were asked (at most `limit` of them). */
  times: number[];
  /** Until then, a refused user has been told once and hears nothing more. */
  quietUntil: number;
}

/** Users remembered at most: each costs a few numbers, and a flood of new accounts must not grow memory without end. */
export const MAX_TRACKED_USERS = 20_000;

export class RateLimiter {
  /** In least-recently-seen order (a user seen again moves to the end), so the oldest go first when full. */
  private readonly users = new Map<string, UserWindow>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxUsers = MAX_TRACKED_USERS,
  ) {}

  get trackedUsers(): number {
    return this.users.size;
  }

  /** Records a question; returns 0 when allowed, otherwise the milliseconds until the user may ask again. */
  take(userId: string): number {
    const now = this.now();
    const user = this.users.get(userId) ?? { times: [], quietUntil: 0 };
    this.users.delete(userId);
    this.users.set(userId, user);
    user.times = user.times.filter((t) => now - t < this.windowMs);
    if (user.times.length >= this.limit) return this.windowMs - (now - user.times[0]!);
    user.times.push(now);
    if (this.users.size > this.maxUsers) this.evict(now);
    return 0;
  }

  /** After a refusal: true the first time in this user's window (tell them once), false until it ends. */
  noticeDue(userId: string): boolean {
    const user = this.users.get(userId);
    const now = this.now();
    if (!user || now < user.quietUntil) return false;
    user.quietUntil = (user.times[0] ?? now) + this.windowMs;
    return true;
  }

  /** Forgets users with no recent questions; if still full, the least recently seen. */
  private evict(now: number): void {
    for (const [id, user] of this.users) if (user.times.every((t) => now - t >= this.windowMs) && now >= user.quietUntil) this.users.delete(id);
    for (const id of this.users.keys()) {
      if (this.users.size <= this.maxUsers) break;
      this.users.delete(id);
    }
  }
}

/** Runs at most `concurrency` tasks at once; the rest wait in arrival order. */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so newcomers cannot overtake the queue.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
