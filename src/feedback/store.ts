// What readers ask and how the answers did, in an embedded SQLite file (better-sqlite3, WAL): questions,
// outcomes, votes. User ids only as a salted hash; question text only when the server allows it; rows
// older than the retention period are deleted. The bot writes (FeedbackStore); `npm run report` and the
// report worker only read (FeedbackReader, opened read-only: no WAL switch, no retention, no migration).
import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Answer } from '../answer/types.js';
import { MIGRATIONS } from './schema.js';

export type Outcome = 'answered' | 'low-confidence' | 'declined' | 'empty';
const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['answered', 'low-confidence', 'declined', 'empty']);

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

/** What a click on Helpful / Not helpful did. 'not-rateable': the answer had no buttons (a decline). */
export type VoteResult = 'recorded' | 'changed' | 'unchanged' | 'gone' | 'not-rateable';

/** Hooks for what happens out of sight: writes are made after the answer is posted. */
export interface StoreEvents {
  /** Writes that could not be made (full or read-only disk…): `lost` questions and votes are not stored. */
  onWriteFailed?(error: Error, lost: number): void;
}

const DAY_MS = 86_400_000;
/** Writes kept while the file is locked by another process; beyond that the oldest are dropped (and counted). */
const MAX_PENDING = 10_000;
/** Pause before retrying writes the file was too busy for. */
const BUSY_RETRY_MS = 200;

export class FeedbackError extends Error {
  override name = 'FeedbackError';
}

export function outcomeOf(answer: Answer): Outcome {
  if (answer.status === 'empty-question') return 'empty';
  if (!answer.answered) return 'declined';
  return answer.lowConfidence ? 'low-confidence' : 'answered';
}

/** Answers shown with Helpful / Not helpful (and More) under them: those that quote something. */
export function hasButtons(outcome: Outcome): boolean {
  return outcome === 'answered' || outcome === 'low-confidence';
}

/** The read side, shared by the bot and the report. Rows that do not read as a question are skipped and counted. */
export class FeedbackReader {
  /** Rows skipped so far because a column held something no Story Desk writes (hand edits, a damaged page). */
  malformedRows = 0;

  protected constructor(
    protected readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** For `npm run report` and the report worker: never writes, so it works on a read-only copy or disk. */
  static openReadOnly(file: string): FeedbackReader {
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length) throw new FeedbackError(newerSchema(file, version));
      if (version < MIGRATIONS.length)
        throw new FeedbackError(`The feedback database ${file} is from an older Story Desk (schema ${version}): start the bot once (npm start) to update it.`);
    } catch (error) {
      if (error instanceof FeedbackError) throw error;
      const damaged = isCorruption(error) ? ' The file is damaged: the bot moves it aside and starts a new one when it starts.' : '';
      throw new FeedbackError(`Cannot read the feedback database ${file}: ${(error as Error).message}.${damaged} Check FEEDBACK_DB.`);
    }
    return new FeedbackReader(db, file);
  }

  /** The schema version of the open file (the number of migrations applied). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  question(id: number): StoredQuestion | null {
    const row = this.db.prepare('SELECT * FROM questions WHERE id = ?').get(id) as QuestionRow | undefined;
    return row ? this.read(row) : null;
  }

  /** Questions asked since `since` (ms), oldest first. */
  questionsSince(since: number): StoredQuestion[] {
    const out: StoredQuestion[] = [];
    for (const row of this.db.prepare('SELECT * FROM questions WHERE asked_at >= ? ORDER BY asked_at, id').iterate(since) as Iterable<QuestionRow>) {
      const question = this.read(row);
      if (question) out.push(question);
    }
    return out;
  }

  /** Votes on questions asked since `since`. */
  voteTotalsSince(since: number): VoteCounts {
    const row = this.db
      .prepare('SELECT SUM(v.helpful = 1) AS up, SUM(v.helpful = 0) AS down FROM votes v JOIN questions q ON q.id = v.question_id WHERE q.asked_at >= ?')
      .get(since) as { up: number | null; down: number | null };
    return { helpful: Number(row.up ?? 0), notHelpful: Number(row.down ?? 0) };
  }

  /** Answers with more "not helpful" than "helpful" votes, asked since `since`. */
  notHelpfulSince(since: number): (StoredQuestion & VoteCounts)[] {
    const rows = this.db
      .prepare(
        `SELECT q.*, SUM(v.helpful = 1) AS up, SUM(v.helpful = 0) AS down FROM questions q JOIN votes v ON v.question_id = q.id
         WHERE q.asked_at >= ? GROUP BY q.id HAVING down > up ORDER BY down DESC, q.asked_at DESC`,
      )
      .all(since) as (QuestionRow & { up: number; down: number })[];
    return rows.flatMap((r) => {
      const question = this.read(r);
      return question ? [{ ...question, helpful: Number(r.up), notHelpful: Number(r.down) }] : [];
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private read(row: QuestionRow): StoredQuestion | null {
    const question = fromRow(row);
    if (!question) this.malformedRows++;
    return question;
  }
}

type PendingWrite =
  | { kind: 'question'; values: unknown[]; id: number; outcome: Outcome; question: StoredQuestion }
  | { kind: 'vote'; values: [number, string, number, number]; key: string };

/**
 * The bot's side. Questions and votes are written after the reply, in batches (one transaction per turn of
 * the event loop): an answer never waits for the disk, and a write that fails (full or read-only disk) is
 * reported through `onWriteFailed` while the bot goes on answering. A question's id is chosen before it is
 * written, at random, so its buttons can be posted at once and bot processes sharing the file never collide.
 */
export class FeedbackStore extends FeedbackReader {
  private readonly salt: string;
  private pending: PendingWrite[] = [];
  /** What is queued but not yet written, for reads that come before the write (a vote right after the answer). */
  private readonly pendingQuestions = new Map<number, StoredQuestion>();
  private readonly pendingVotes = new Map<string, number>();
  /** Cancels the flush that is scheduled, if any. */
  private cancelFlush: (() => void) | null = null;
  private readonly insertQuestion: Database.Statement;
  private readonly upsertVote: Database.Statement;

  private constructor(
    db: Database.Database,
    readonly settings: FeedbackSettings,
    private readonly now: () => number,
    private readonly events: StoreEvents,
    /** Where a damaged file found at open was moved (a new one was created in its place). */
    readonly movedAside: { to: string; reason: string } | null,
  ) {
    super(db, settings.file);
    this.salt = settings.salt ?? this.storedSalt();
    this.insertQuestion = db.prepare(
      `INSERT INTO questions (id, asked_at, via, user_hash, question, read_as, outcome, confidence, articles, excerpts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertVote = db.prepare(
      `INSERT INTO votes (question_id, user_hash, helpful, voted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (question_id, user_hash) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at`,
    );
  }

  /** Opens (creating, migrating) the bot's database; a damaged file is moved aside and a new one started. */
  static open(settings: FeedbackSettings, now: () => number = Date.now, events: StoreEvents = {}): FeedbackStore {
    let db: Database.Database;
    let movedAside: { to: string; reason: string } | null = null;
    try {
      db = openChecked(settings.file);
    } catch (error) {
      if (!isCorruption(error)) throw cannotOpen(settings.file, error);
      movedAside = { to: moveAside(settings.file, now()), reason: (error as Error).message };
      try {
        db = openChecked(settings.file);
      } catch (again) {
        throw cannotOpen(settings.file, again);
      }
    }
    migrate(db, settings.file);
    // Past start-up the bot never waits on a lock (another shard process writing): busy writes are retried later.
    db.pragma('busy_timeout = 0');
    const store = new FeedbackStore(db, settings, now, events, movedAside);
    store.deleteExpired();
    return store;
  }

  hashUser(userId: string): string {
    return createHmac('sha256', this.salt).update(userId).digest('hex');
  }

  /** Queues a question and its outcome; returns the id its buttons carry (written a moment later). */
  recordQuestion(entry: { userId: string; via: string; question: string; readAs?: string | null; answer: Answer }): number {
    const { answer } = entry;
    const articles = [...new Set(answer.excerpts.map((e) => answer.sources.find((s) => s.n === e.source)?.file).filter((f): f is string => !!f))];
    const id = newQuestionId();
    const question: StoredQuestion = {
      id,
      askedAt: this.now(),
      via: entry.via,
      question: this.settings.storeQuestionText ? entry.question : null,
      readAs: this.settings.storeQuestionText ? (entry.readAs ?? null) : null,
      outcome: outcomeOf(answer),
      confidence: Number.isFinite(answer.confidence) ? answer.confidence : 0,
      articles,
      excerpts: answer.excerpts.length,
    };
    const values = [
      id,
      question.askedAt,
      question.via,
      this.hashUser(entry.userId),
      question.question,
      question.readAs,
      question.outcome,
      question.confidence,
      JSON.stringify(articles),
      question.excerpts,
    ];
    this.pendingQuestions.set(id, question);
    this.enqueue({ kind: 'question', values, id, outcome: question.outcome, question });
    return id;
  }

  override question(id: number): StoredQuestion | null {
    return this.pendingQuestions.get(id) ?? super.question(id);
  }

  /** One vote per person per answer with buttons: a second vote replaces the first. 'gone' when not stored (any more). */
  vote(questionId: number, userId: string, helpful: boolean): VoteResult {
    const outcome =
      this.pendingQuestions.get(questionId)?.outcome ??
      (this.db.prepare('SELECT outcome FROM questions WHERE id = ?').get(questionId) as { outcome: Outcome } | undefined)?.outcome;
    if (!outcome) return 'gone';
    if (!hasButtons(outcome)) return 'not-rateable';
    const user = this.hashUser(userId);
    const key = `${questionId}:${user}`;
    const before =
      this.pendingVotes.get(key) ??
      (this.db.prepare('SELECT helpful FROM votes WHERE question_id = ? AND user_hash = ?').get(questionId, user) as { helpful: number } | undefined)?.helpful;
    const value = helpful ? 1 : 0;
    this.pendingVotes.set(key, value);
    this.enqueue({ kind: 'vote', values: [questionId, user, value, this.now()], key });
    if (before === undefined) return 'recorded';
    return Boolean(before) === helpful ? 'unchanged' : 'changed';
  }

  votes(questionId: number): VoteCounts {
    this.flush();
    const row = this.db.prepare('SELECT SUM(helpful = 1) AS up, SUM(helpful = 0) AS down FROM votes WHERE question_id = ?').get(questionId) as {
      up: number | null;
      down: number | null;
    };
    return { helpful: row.up ?? 0, notHelpful: row.down ?? 0 };
  }

  /** Deletes what is older than the retention period (votes go with their question). Returns how many questions. */
  deleteExpired(): number {
    this.flush();
    const cutoff = this.now() - this.settings.retentionDays * DAY_MS;
    return this.db.prepare('DELETE FROM questions WHERE asked_at < ?').run(cutoff).changes;
  }

  /** Writes what is queued now (also done on its own right after each reply). */
  flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    if (!this.db.open) {
      this.fail(batch, new FeedbackError('the feedback database is closed'));
      return;
    }
    try {
      this.db.transaction(() => {
        for (const write of batch) this.write(write);
      })();
    } catch (error) {
      if (isBusy(error)) {
        // Another process holds the write lock: keep the batch (bounded) and try again shortly.
        this.pending = batch.concat(this.pending);
        const dropped = this.pending.length - MAX_PENDING;
        if (dropped > 0) this.fail(this.pending.splice(0, dropped), error as Error);
        const timer = setTimeout(() => this.flush(), BUSY_RETRY_MS);
        this.cancelFlush = () => clearTimeout(timer);
        return;
      }
      // One at a time, so that one bad write (an id taken by another process) loses only itself.
      const lost: PendingWrite[] = [];
      let last = error as Error;
      for (const write of batch) {
        try {
          this.write(write);
        } catch (each) {
          lost.push(write);
          last = each as Error;
        }
      }
      if (lost.length) this.fail(lost, last);
    }
    this.forget(batch);
  }

  override close(): void {
    if (!this.db.open) return;
    this.flush();
    super.close();
  }

  private enqueue(write: PendingWrite): void {
    this.pending.push(write);
    if (this.cancelFlush) return;
    const immediate = setImmediate(() => this.flush());
    this.cancelFlush = () => clearImmediate(immediate);
  }

  private write(write: PendingWrite): void {
    if (write.kind === 'question') this.insertQuestion.run(...write.values);
    else this.upsertVote.run(...write.values);
  }

  private fail(lost: PendingWrite[], error: Error): void {
    this.forget(lost);
    this.events.onWriteFailed?.(error, lost.length);
  }

  private forget(writes: PendingWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'question') this.pendingQuestions.delete(write.id);
      else if (this.pendingVotes.get(write.key) === write.values[2]) this.pendingVotes.delete(write.key);
    }
  }

  private storedSalt(): string {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'salt'").get() as { value: string } | undefined;
    if (row) return row.value;
    const salt = randomBytes(32).toString('hex');
    this.db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('salt', ?)").run(salt);
    return (this.db.prepare("SELECT value FROM settings WHERE key = 'salt'").get() as { value: string }).value;
  }
}

/** A random positive safe integer: unguessable, and two processes sharing the file will not pick the same one. */
function newQuestionId(): number {
  return Number(randomBytes(8).readBigUInt64BE() >> 11n) || 1; // 53 bits
}

function openChecked(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    // A damaged page shows here at start, not as a failed write later (a full check of a 100 MB file takes ~1 s).
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`integrity check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL is safe against crashes (only a power cut can lose the last commits) and skips an
    // fsync per commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Renames a damaged file (and its journal) to `<file>.corrupt-<time>`, kept for inspection; returns the new name. */
function moveAside(file: string, now: number): string {
  const to = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, to);
  if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${to}-wal`);
  rmSync(`${file}-shm`, { force: true });
  return to;
}

function cannotOpen(file: string, error: unknown): FeedbackError {
  if (error instanceof FeedbackError) return error;
  return new FeedbackError(`Cannot open the feedback database ${file}: ${(error as Error).message}. Check FEEDBACK_DB and that its folder is writable.`);
}

function newerSchema(file: string, version: number): string {
  return `The feedback database ${file} has schema version ${version}, newer than this Story Desk knows (${MIGRATIONS.length}). Update Story Desk, or point FEEDBACK_DB at another file.`;
}

function errorCode(error: unknown): string {
  return typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
}

function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

function isBusy(error: unknown): boolean {
  return errorCode(error).startsWith('SQLITE_BUSY') || errorCode(error).startsWith('SQLITE_LOCKED');
}

interface QuestionRow {
  id: unknown;
  asked_at: unknown;
  via: unknown;
  question: unknown;
  read_as: unknown;
  outcome: unknown;
  confidence: unknown;
  articles: unknown;
  excerpts: unknown;
}

/** A row as a question, or null when a column holds what no Story Desk writes (SQLite does not enforce types). */
function fromRow(row: QuestionRow): StoredQuestion | null {
  const text = (v: unknown) => v === null || typeof v === 'string';
  if (!Number.isSafeInteger(row.id) || !Number.isFinite(row.asked_at) || typeof row.via !== 'string') return null;
  if (!text(row.question) || !text(row.read_as) || typeof row.outcome !== 'string' || !OUTCOMES.has(row.outcome)) return null;
  if (typeof row.confidence !== 'number' || !Number.isSafeInteger(row.excerpts) || typeof row.articles !== 'string') return null;
  let articles: unknown;
  try {
    articles = JSON.parse(row.articles);
  } catch {
    return null;
  }
  if (!Array.isArray(articles) || !articles.every((a) => typeof a === 'string')) return null;
  return {
    id: row.id as number,
    askedAt: row.asked_at as number,
    via: row.via,
    question: row.question as string | null,
    readAs: row.read_as as string | null,
    outcome: row.outcome as Outcome,
    confidence: row.confidence,
    articles,
    excerpts: row.excerpts as number,
  };
}

/** Brings the file's schema up to the newest version; refuses a file from a newer Story Desk. */
function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new FeedbackError(newerSchema(file, version));
  }
  if (version === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
