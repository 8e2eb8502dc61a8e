// Short memory of each conversation's previous question, per person: in this process only (never on disk),
// forgotten after a while (FOLLOWUP_MEMORY_MINUTES), and bounded in size.

/** Conversations remembered at once; the least recently used are forgotten first. */
const MAX_CONVERSATIONS = 10_000;

export class ConversationMemory {
  private readonly entries = new Map<string, { question: string; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly max = MAX_CONVERSATIONS,
  ) {}

  /** The previous question of this conversation, if asked recently enough. */
  previous(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return null;
    }
    return entry.question;
  }

  remember(key: string, question: string): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key); // re-insert: Map order is the recency order
    this.entries.set(key, { question, at: this.now() });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
