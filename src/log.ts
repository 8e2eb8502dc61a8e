// Structured logs: one JSON object per line when not on a terminal (for log collectors), readable otherwise.
// Callers pass ids, outcomes and timings, never message text or secrets. Values that came from outside (an added
// page's title) cannot drive the terminal the log is read on: see render/terminal-safe.ts.
import { terminalSafe, terminalSafeJson } from './render/terminal-safe.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

export function createLogger(options: { level?: string; json?: boolean; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[(options.level as Level) ?? 'info'] ?? ORDER.info;
  const json = options.json ?? !process.stderr.isTTY;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: Level, event: string, fields: Fields = {}) => {
    if (ORDER[level] < min) return;
    const record = { time: new Date().toISOString(), level, event, ...fields };
    write(
      json
        ? terminalSafeJson(record)
        : terminalSafe(
            `${record.time} ${level.toUpperCase().padEnd(5)} ${event} ${Object.entries(fields)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`.trimEnd(),
          ),
    );
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
