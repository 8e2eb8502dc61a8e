// Reading a follow-up with the previous question, and the short, bounded memory it comes from.
import { describe, expect, it } from 'vitest';
import { readFollowUp } from '../src/conversation/follow-up.js';
import { ConversationMemory } from '../src/conversation/memory.js';

describe('readFollowUp', () => {
  it.each([
    ['who is Ushakov?', 'and what did he say about sanctions?', 'what did Ushakov say about sanctions'],
    ['What did Russia say about sanctions?', 'and japan?', 'What did japan say about sanctions'],
    ['What did Putin give Kim?', 'why?', 'why did Putin give Kim'],
    ['What did Putin and Kim sign?', 'when was that', 'when was that (Putin Kim sign)'],
    ['Where did Kim meet Putin?', 'what did they sign there', 'what did Kim and Putin sign there'],
    ['Who is Kim Jong Un?', 'what did her sister say', "what did Kim Jong Un's sister say"],
  ])('%s + %s → %s', (previous, question, readAs) => {
    expect(readFollowUp(previous, question)).toBe(readAs);
  });

  it('reads a question that stands on its own on its own', () => {
    expect(readFollowUp('What did Putin give Kim?', 'Where was the welcoming ceremony held?')).toBeNull();
    expect(readFollowUp('What did Putin give Kim?', 'What did Kim call Putin?')).toBeNull();
  });
});

describe('ConversationMemory', () => {
  it('forgets after its time and keeps at most its bound, least recently used first', () => {
    let now = 0;
    const memory = new ConversationMemory(10 * 60_000, () => now, 3);
    memory.remember('a', 'qa');
    now += 9 * 60_000;
    expect(memory.previous('a')).toBe('qa');
    now += 2 * 60_000;
    expect(memory.previous('a')).toBeNull();
    for (const key of ['b', 'c', 'd', 'e']) memory.remember(key, `q${key}`);
    expect(memory.size).toBe(3);
    expect(memory.previous('b')).toBeNull();
    expect(memory.previous('e')).toBe('qe');
    const off = new ConversationMemory(0);
    off.remember('a', 'q');
    expect(off.previous('a')).toBeNull();
  });
});
