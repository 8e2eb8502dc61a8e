// The feedback database on a real SQLite file: schema migrated on open, retention, no question text when off.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Answer } from '../src/answer/types.js';
import { loadFeedbackConfig } from '../src/config.js';
import { FeedbackStore } from '../src/feedback/store.js';
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
  const old = store.recordQuestion({ userId: '42', via: 'dm', question: 'How tall is Kim?', answer: declined });
  expect(store.vote(old, '7', false)).toBe('recorded');
  now += 60 * DAY;
  const recent = store.recordQuestion({ userId: '42', via: 'dm', question: 'Who is Ushakov?', answer: declined });
  expect(store.question(recent)).toMatchObject({ question: null, outcome: 'declined', via: 'dm' });
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
