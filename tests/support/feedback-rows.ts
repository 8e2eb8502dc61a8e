// Generated feedback rows for load tests: many readers' questions in a real SQLite file, written directly
// (one transaction), with a realistic mix of outcomes, ways of asking, days and distinct wordings.
import Database from 'better-sqlite3';
import { FeedbackStore } from '../../src/feedback/store.js';

const SUBJECTS = [
  'Kim Jong Un',
  'Putin',
  'the treaty',
  'North Korean troops',
  'the Aurus limousine',
  'Pyongyang',
  'Kursk',
  'the summit',
  'sanctions',
  'Seoul',
  'Shoigu',
  'the artillery shells',
];
const ASKS = [
  'How tall is',
  'What does the UN say about',
  'Why did China react to',
  'When will Japan comment on',
  'Who paid for',
  'How much oil goes to',
  'What happened after',
  'Is there a video of',
];
const VIAS = ['mention', 'slash', 'dm', 'context-menu'];
const OUTCOMES = ['answered', 'low-confidence', 'declined', 'declined', 'empty'];

/** Writes `count` questions asked over the last `days` days (default one: the worst case of the per-day counts) (a third of them declined) into a new feedback file. */
export function writeFeedbackRows(file: string, count: number, options: { days?: number; now?: number; distinct?: boolean } = {}): void {
  const now = options.now ?? Date.now();
  const span = (options.days ?? 1) * 86_400_000;
  FeedbackStore.open({ file, storeQuestionText: true, retentionDays: 365, salt: 'load' }).close();
  const db = new Database(file);
  const insert = db.prepare(
    'INSERT INTO questions (asked_at, via, user_hash, question, read_as, outcome, confidence, articles, excerpts) VALUES (?, ?, ?, ?, NULL, ?, 0.5, ?, 1)',
  );
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const outcome = pick(OUTCOMES);
      // `distinct`: every wording its own (the costliest case for grouping: nothing to embed once for many).
      const question = `${pick(ASKS)} ${pick(SUBJECTS)}${random() < 0.5 ? ` in ${2000 + Math.floor(random() * 30)}` : ''}${options.distinct ? ` (case ${i})` : ''}?`;
      insert.run(now - span + Math.floor((span * i) / count), pick(VIAS), `user${i % 997}`, question, outcome, outcome === 'answered' ? '["pact.txt"]' : '[]');
    }
  })();
  db.close();
}
