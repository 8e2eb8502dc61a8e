import { describe, expect, it } from 'vitest';
import { RateLimiter, WorkQueue } from '../src/discord/limits.js';

describe('WorkQueue', () => {
  it('runs at most `concurrency` tasks at once; the rest start in arrival order as slots free up', async () => {
    const queue = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) =>
      queue.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(queue.pending).toBe(4);
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(queue.pending).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const queue = new WorkQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

describe('RateLimiter', () => {
  it('allows N per user per sliding window and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 30_000, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 0, 0]);
    now = 10_000;
    expect(limiter.take('a')).toBe(20_000);
    now = 30_000;
    expect(limiter.take('a')).toBe(0);
  });

  it('tells a refused user once per window, then nothing until the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 30_000, () => now);
    limiter.take('a');
    limiter.take('a');
    const notices = [];
    for (let t = 1_000; t < 30_000; t += 1_000) {
      now = t;
      if (limiter.take('a')) notices.push(limiter.noticeDue('a'));
    }
    expect(notices.filter(Boolean)).toHaveLength(1);
    expect(notices[0]).toBe(true);
    now = 30_000; // both questions left the window: two more allowed, and a refusal after them is told again
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    now = 30_500;
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.noticeDue('a')).toBe(true);
  });

  it('remembers a bounded number of users, dropping the least recently seen first', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 60_000, () => now, 100);
    for (let i = 0; i < 1_000; i++) {
      now = i;
      limiter.take(`user-${i}`);
      limiter.take('spammer'); // seen all the time: never the one dropped
    }
    expect(limiter.trackedUsers).toBeLessThanOrEqual(101);
    expect(limiter.take('spammer')).toBeGreaterThan(0);
    expect(limiter.take('user-999')).toBeGreaterThan(0);
    expect(limiter.take('user-0')).toBe(0); // forgotten
  });
});
