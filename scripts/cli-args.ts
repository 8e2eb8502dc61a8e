// Flags shared by the CLI scripts: --corpus and --index override CORPUS_DIR and INDEX_DIR.
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadCoreConfig, type CoreConfig } from '../src/config.js';

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, usage: string) {
  try {
    return parseArgs({
      options: { ...options, corpus: { type: 'string' }, index: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${usage}`);
  }
}

/** Settings from the environment, with `overrides` on top, then --corpus and --index. */
export function configWithFlags(values: { corpus?: unknown; index?: unknown }, overrides: Record<string, string> = {}): CoreConfig {
  const config = loadCoreConfig({ ...process.env, ...overrides });
  if (typeof values.corpus === 'string') config.corpusDir = path.resolve(values.corpus);
  if (typeof values.index === 'string') config.indexDir = path.resolve(values.index);
  return config;
}

/**
 * `npm run -s ask -- … --json | head -1`: when the reader closes the pipe, stop quietly with success,
 * as other command-line tools do, instead of an EPIPE stack trace.
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
