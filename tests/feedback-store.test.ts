// The feedback database on a real SQLite file: schema migrated on open, retention, no question text when off.
import Database from 'better-sqlite3';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Answer } from '../src/answer/types.js';
import { loadFeedbackConfig } from '../src/config.js';
import { FeedbackReader, FeedbackStore } from '../src/feedback/store.js';
import { MIGRATIONS } from '../src/feedback/schema.js';
import { tempDir } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => (work = await tempDir()));
afterAll(() => work?.cleanup());

const DAY = 86_400_000;
const declined = {
  question: 'q',
  answered: false,
  status: 'not-covered',
  message: 'no',
  excerpts: [],
  sources: [],
  confidence: 0.2,
  suggestions: [],
  timings: { totalMs: 0, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 },
} as unknown as Answer;
const answered = {
  ...declined,
  answered: true,
  status: 'answered',
  message: null,
  confidence: 0.7,
  excerpts: [{ quote: 'Putin gave Kim an Aurus.', source: 1, score: 0.7, start: 0, end: 10, trimmedStart: false, trimmedEnd: false }],
  sources: [{ n: 1, title: 'T', publisher: null, date: null, url: null, file: 'pact.txt' }],
} as unknown as Answer;

it('creates the schema in WAL mode, brings an older file up to date, refuses a newer one', () => {
  const file = path.join(work.dir, 'a', 'feedback.sqlite');
  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
  expect(store.schemaVersion).toBe(MIGRATIONS.length);
  store.close();
  const raw = new Database(file);
  expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  expect(() => FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }))).toThrow(
    /schema version 2, newer than this Story Desk knows \(1\)\. Update Story Desk/,
  );
});

it('deletes rows older than the retention period, votes with them; stores no question text when told not to', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const settings = loadFeedbackConfig({
    FEEDBACK_DB: path.join(work.dir, 'b.sqlite'),
    RETENTION_DAYS: '90',
    STORE_QUESTION_TEXT: 'false',
    FEEDBACK_SALT: 'pepper',
  });
  const store = FeedbackStore.open(settings, () => now);
  const old = store.recordQuestion({ userId: '42', via: 'dm', question: 'How tall is Kim?', answer: answered });
  expect(store.vote(old, '7', false)).toBe('recorded');
  now += 60 * DAY;
  const recent = store.recordQuestion({ userId: '42', via: 'dm', question: 'Who is Ushakov?', answer: declined });
  expect(store.question(recent)).toMatchObject({ question: null, outcome: 'declined', via: 'dm' });
  // A decline had no buttons: a vote on it (forged) is refused and not stored.
  expect(store.vote(recent, '7', true)).toBe('not-rateable');
  now += 31 * DAY;
  expect(store.deleteExpired()).toBe(1);
  expect(store.question(old)).toBeNull();
  expect(store.question(recent)).not.toBeNull();
  expect(store.vote(old, '7', true)).toBe('gone');
  // The hash is keyed by the salt: the same id hashes differently under another salt.
  const other = FeedbackStore.open({ ...settings, file: path.join(work.dir, 'c.sqlite'), salt: 'salt' });
  expect(store.hashUser('42')).not.toBe(other.hashUser('42'));
  other.close();
  store.close();
  const raw = new Database(settings.file, { readonly: true });
  expect(raw.prepare('SELECT COUNT(*) AS n FROM votes').get()).toEqual({ n: 0 });
  expect(JSON.stringify(raw.prepare('SELECT * FROM questions').all())).not.toMatch(/Ushakov|"42"/);
  raw.close();
});

it('a vote needs a stored answer that had buttons; a second vote replaces the first', () => {
  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: path.join(work.dir, 'votes.sqlite') }));
  const shown = store.recordQuestion({ userId: '1', via: 'slash', question: 'What did Putin give Kim?', answer: answered });
  const refused = store.recordQuestion({ userId: '1', via: 'slash', question: 'How tall is Kim?', answer: declined });
  // Right after the answer (the write still queued) and after it is written, alike.
  expect(store.vote(shown, 'u', true)).toBe('recorded');
  store.flush();
  expect(store.vote(shown, 'u', true)).toBe('unchanged');
  expect(store.vote(shown, 'u', false)).toBe('changed');
  expect(store.vote(refused, 'u', true)).toBe('not-rateable');
  expect(store.vote(123_456_789, 'u', true)).toBe('gone');
  expect(store.votes(shown)).toEqual({ helpful: 0, notHelpful: 1 });
  expect(store.votes(refused)).toEqual({ helpful: 0, notHelpful: 0 });
  store.close();
});

it('writes wait for a file another process has locked, without blocking: retried until the lock is gone', async () => {
  const file = path.join(work.dir, 'busy.sqlite');
  const failures: number[] = [];
  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }), Date.now, { onWriteFailed: (_, lost) => failures.push(lost) });
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE'); // another shard process in the middle of a write
  const started = performance.now();
  const id = store.recordQuestion({ userId: '1', via: 'dm', question: 'Who signed?', answer: answered });
  store.flush();
  expect(performance.now() - started).toBeLessThan(100); // no wait on the lock (busy_timeout 0 after open)
  expect(store.question(id)).toMatchObject({ question: 'Who signed?' }); // readable from the queue meanwhile
  await new Promise((r) => setTimeout(r, 300));
  other.exec('COMMIT');
  await new Promise((r) => setTimeout(r, 500));
  expect(other.prepare('SELECT question FROM questions WHERE id = ?').get(id)).toEqual({ question: 'Who signed?' });
  expect(failures).toEqual([]);
  other.close();
  store.close();
});

it('a damaged file is moved aside (kept, with a timestamp) and a new one started', () => {
  const dir = path.join(work.dir, 'damaged');
  const file = path.join(dir, 'feedback.sqlite');
  const first = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
  for (let i = 0; i < 200; i++) first.recordQuestion({ userId: String(i), via: 'dm', question: `Question ${i} ${'x'.repeat(200)}`, answer: declined });
  first.close();
  // Garbage over a page in the middle of the table (the header still reads): found by the check at open.
  const bytes = readFileSync(file);
  bytes.fill(0x5a, 4096 * 3, 4096 * 5);
  writeFileSync(file, bytes);
  const second = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
  expect(second.movedAside).toMatchObject({ to: expect.stringMatching(/feedback\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/), reason: expect.any(String) });
  expect(second.questionsSince(0)).toEqual([]);
  second.close();
  expect(readFileSync(second.movedAside!.to)).toEqual(bytes);
  // Not a database at all (a file written over by something else).
  writeFileSync(file, 'this is not a database\n'.repeat(400));
  const third = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file }));
  expect(third.movedAside?.reason).toMatch(/not a database/);
  third.close();
  expect(readdirSync(dir).filter((f) => f.includes('.corrupt-')).length).toBeGreaterThanOrEqual(2);
});

it("the report's reader opens read-only (a read-only file stays untouched) and skips and counts malformed rows", () => {
  const file = path.join(work.dir, 'readonly.sqlite');
  const store = FeedbackStore.open(loadFeedbackConfig({ FEEDBACK_DB: file, RETENTION_DAYS: '1' }));
  store.recordQuestion({ userId: '1', via: 'dm', question: 'Fine question?', answer: declined });
  store.close();
  const raw = new Database(file);
  const insert = raw.prepare('INSERT INTO questions (asked_at, via, user_hash, question, outcome, confidence, articles) VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run(Date.now(), 'dm', 'h', 'bad json', 'declined', 0.1, '{not json');
  insert.run(Date.now(), 'dm', 'h', 'bad outcome', 'exploded', 0.1, '[]');
  insert.run('yesterday', 'dm', 'h', 'text time', 'declined', 0.1, '[]');
  insert.run(Date.now() - 5 * DAY, 'dm', 'h', 'expired', 'declined', 0.1, '[]'); // past retention: the bot deletes it, not the report
  raw.pragma('journal_mode = DELETE'); // as a copy of the file would be
  raw.close();
  chmodSync(file, 0o444);
  try {
    const before = readFileSync(file);
    const reader = FeedbackReader.openReadOnly(file);
    expect(reader.questionsSince(0).map((q) => q.question)).toEqual(['expired', 'Fine question?']);
    expect(reader.malformedRows).toBe(3);
    reader.close();
    expect(readFileSync(file)).toEqual(before);
  } finally {
    chmodSync(file, 0o644);
  }
});
