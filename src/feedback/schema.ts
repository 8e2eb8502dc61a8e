// The feedback database's schema, as numbered migrations. `PRAGMA user_version` records how many have run;
// opening a database runs the missing ones in one transaction, so an older file is brought up to date on start.

export const MIGRATIONS: readonly string[] = [
  // 1: questions with their outcome, and one vote per person per answer.
  `CREATE TABLE questions (
     id INTEGER PRIMARY KEY,
     asked_at INTEGER NOT NULL,           -- ms since the epoch
     via TEXT NOT NULL,                   -- mention | dm | slash | context-menu
     user_hash TEXT NOT NULL,             -- HMAC-SHA256 of the Discord user id with the salt: never the id
     question TEXT,                       -- NULL when STORE_QUESTION_TEXT=false
     read_as TEXT,                        -- how a follow-up or a corrected question was read
     outcome TEXT NOT NULL,               -- answered | low-confidence | declined | empty
     confidence REAL NOT NULL,
     articles TEXT NOT NULL DEFAULT '[]', -- JSON list of the files quoted
     excerpts INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX questions_by_time ON questions(asked_at);
   CREATE TABLE votes (
     question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
     user_hash TEXT NOT NULL,
     helpful INTEGER NOT NULL,            -- 1 helpful, 0 not helpful
     voted_at INTEGER NOT NULL,
     PRIMARY KEY (question_id, user_hash)
   );
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];
