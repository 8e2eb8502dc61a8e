// What readers ask and how the answers did, in an embedded SQLite file (better-sqlite3, WAL): questions,
// outcomes, votes. User ids only as a salted hash; question text only when the server allows it; rows
// older than the retention period are deleted. Opened by the bot (writes) and `npm run report` (reads).
import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Answer } from '../answer/types.js';
import { MIGRATIONS } from './schema.js';

export type Outcome = 'answered' | 'low-confidence' | 'declined' | 'empty';

export interface FeedbackSettings {
  /** The database file; its folder is created. */
  file: string;
  storeQuestionText: boolean;
  retentionDays: number;
  /** Salt for user-id hashes; when null one is generated and kept in the database. */
  salt: string | null;
}

export interface StoredQuestion {
  id: number;
  askedAt: number;
  via: string;
  question: string | null;
  readAs: string | null;
  outcome: Outcome;
  confidence: number;
  articles: string[];
  excerpts: number;
}

export interface VoteCounts {
  helpful: number;
  notHelpful: number;
}

const DAY_MS = 86_400_000;

export class FeedbackError extends Error {
  override name = 'FeedbackError';
}

export function outcomeOf(answer: Answer): Outcome {
  if (answer.status === 'empty-question') return 'empty';
  if (!answer.answered) return 'declined';
  return answer.lowConfidence ? 'low-confidence' : 'answered';
}

export class FeedbackStore {
  private readonly db: Database.Database;
  private readonly salt: string;

  private constructor(
    db: Database.Database,
    readonly settings: FeedbackSettings,
    private readonly now: () => number,
  ) {
    this.db = db;
    this.salt = settings.salt ?? this.storedSalt();
  }

  static open(settings: FeedbackSettings, now: () => number = Date.now): FeedbackStore {
    let db: Database.Database;
    try {
      mkdirSync(path.dirname(settings.file), { recursive: true });
      db = new Database(settings.file);
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL is safe against crashes (only a power cut can lose the last commits) and skips an
      // fsync per question: with FULL every answer blocked the event loop on the disk (heartbeats missed under load).
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Another process (the report) may hold the file a moment: wait instead of failing.
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new FeedbackError(
        `Cannot open the feedback database ${settings.file}: ${(error as Error).message}. Check FEEDBACK_DB and that its folder is writable.`,
      );
    }
    migrate(db, settings.file);
    const store = new FeedbackStore(db, settings, now);
    store.deleteExpired();
    return store;
  }

  /** The schema version of the open file (the number of migrations applied). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  hashUser(userId: string): string {
    return createHmac('sha256', this.salt).update(userId).digest('hex');
  }

  /** Stores a question and its outcome; returns its id, which the answer's buttons carry. */
  recordQuestion(entry: { userId: string; via: string; question: string; readAs?: string | null; answer: Answer }): number {
    const { answer } = entry;
    const articles = [...new Set(answer.excerpts.map((e) => answer.sources.find((s) => s.n === e.source)?.file).filter((f): f is string => !!f))];
    const result = this.db
      .prepare(
        `INSERT INTO questions (asked_at, via, user_hash, question, read_as, outcome, confidence, articles, excerpts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.now(),
        entry.via,
        this.hashUser(entry.userId),
        this.settings.storeQuestionText ? entry.question : null,
        this.settings.storeQuestionText ? (entry.readAs ?? null) : null,
        outcomeOf(answer),
        Number.isFinite(answer.confidence) ? answer.confidence : 0,
        JSON.stringify(articles),
        answer.excerpts.length,
      );
    return Number(result.lastInsertRowid);
  }

  question(id: number): StoredQuestion | null {
    const row = this.db.prepare('SELECT * FROM questions WHERE id = ?').get(id) as QuestionRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** One vote per person per answer: a second vote replaces the first. 'gone' when the answer is no longer stored. */
  vote(questionId: number, userId: string, helpful: boolean): 'recorded' | 'changed' | 'unchanged' | 'gone' {
    if (!this.db.prepare('SELECT 1 FROM questions WHERE id = ?').get(questionId)) return 'gone';
    const user = this.hashUser(userId);
    const before = this.db.prepare('SELECT helpful FROM votes WHERE question_id = ? AND user_hash = ?').get(questionId, user) as
      | { helpful: number }
      | undefined;
    this.db
      .prepare(
        `INSERT INTO votes (question_id, user_hash, helpful, voted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (question_id, user_hash) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at`,
      )
      .run(questionId, user, helpful ? 1 : 0, this.now());
    if (!before) return 'recorded';
    return Boolean(before.helpful) === helpful ? 'unchanged' : 'changed';
  }

  votes(questionId: number): VoteCounts {
    const row = this.db.prepare('SELECT SUM(helpful = 1) AS up, SUM(helpful = 0) AS down FROM votes WHERE question_id = ?').get(questionId) as {
      up: number | null;
      down: number | null;
    };
    return { helpful: row.up ?? 0, notHelpful: row.down ?? 0 };
  }

  /** Questions asked since `since` (ms), oldest first. */
  questionsSince(since: number): StoredQuestion[] {
    return (this.db.prepare('SELECT * FROM questions WHERE asked_at >= ? ORDER BY asked_at, id').all(since) as QuestionRow[]).map(fromRow);
  }

  /** Votes on questions asked since `since`. */
  voteTotalsSince(since: number): VoteCounts {
    const row = this.db
      .prepare('SELECT SUM(v.helpful = 1) AS up, SUM(v.helpful = 0) AS down FROM votes v JOIN questions q ON q.id = v.question_id WHERE q.asked_at >= ?')
      .get(since) as { up: number | null; down: number | null };
    return { helpful: row.up ?? 0, notHelpful: row.down ?? 0 };
  }

  /** Answers with more "not helpful" than "helpful" votes, asked since `since`. */
  notHelpfulSince(since: number): (StoredQuestion & VoteCounts)[] {
    const rows = this.db
      .prepare(
        `SELECT q.*, SUM(v.helpful = 1) AS up, SUM(v.helpful = 0) AS down FROM questions q JOIN votes v ON v.question_id = q.id
         WHERE q.asked_at >= ? GROUP BY q.id HAVING down > up ORDER BY down DESC, q.asked_at DESC`,
      )
      .all(since) as (QuestionRow & { up: number; down: number })[];
    return rows.map((r) => ({ ...fromRow(r), helpful: r.up, notHelpful: r.down }));
  }

  /** Deletes what is older than the retention period (votes go with their question). Returns how many questions. */
  deleteExpired(): number {
    const cutoff = this.now() - this.settings.retentionDays * DAY_MS;
    return this.db.prepare('DELETE FROM questions WHERE asked_at < ?').run(cutoff).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private storedSalt(): string {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'salt'").get() as { value: string } | undefined;
    if (row) return row.value;
    const salt = randomBytes(32).toString('hex');
    this.db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('salt', ?)").run(salt);
    return (this.db.prepare("SELECT value FROM settings WHERE key = 'salt'").get() as { value: string }).value;
  }
}

interface QuestionRow {
  id: number;
  asked_at: number;
  via: string;
  question: string | null;
  read_as: string | null;
  outcome: Outcome;
  confidence: number;
  articles: string;
  excerpts: number;
}

function fromRow(row: QuestionRow): StoredQuestion {
  return {
    id: row.id,
    askedAt: row.asked_at,
    via: row.via,
    question: row.question,
    readAs: row.read_as,
    outcome: row.outcome,
    confidence: row.confidence,
    articles: JSON.parse(row.articles) as string[],
    excerpts: row.excerpts,
  };
}

/** Brings the file's schema up to the newest version; refuses a file from a newer Story Desk. */
function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new FeedbackError(
      `The feedback database ${file} has schema version ${version}, newer than this Story Desk knows (${MIGRATIONS.length}). Update Story Desk, or point FEEDBACK_DB at another file.`,
    );
  }
  if (version === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
