// Flags shared by the CLI scripts: --corpus and --index override CORPUS_DIR and INDEX_DIR.
import { existsSync } from 'node:fs';
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

/**
 * What a command does with the --index folder: `read` answers from an index that must already be there;
 * `build` may start a new one, but only in a new folder of an existing one (a typo'd path is refused).
 */
export type IndexUse = 'read' | 'build';

/** Settings from the environment, with `overrides` on top, then --corpus and --index. */
export function configWithFlags(values: { corpus?: unknown; index?: unknown }, overrides: Record<string, string> = {}, use: IndexUse = 'read'): CoreConfig {
  const config = loadCoreConfig({ ...process.env, ...overrides });
  if (typeof values.corpus === 'string') config.corpusDir = path.resolve(values.corpus);
  if (typeof values.index === 'string') {
    config.indexDir = path.resolve(values.index);
    checkIndexFlag(config.indexDir, use);
  }
  return config;
}

/** A --index that names no folder is said, not silently answered "no index" or built anew. */
function checkIndexFlag(indexDir: string, use: IndexUse): void {
  if (existsSync(indexDir)) return;
  if (use === 'read')
    throw new ConfigError(
      `The index folder ${indexDir} (--index) does not exist. Check the path, or build an index there first: npm run index -- --index ${indexDir}`,
    );
  const parent = path.dirname(indexDir);
  if (!existsSync(parent))
    throw new ConfigError(`Neither the index folder ${indexDir} (--index) nor its parent ${parent} exists. Check the path, or create ${parent} first.`);
  console.error(`Note: ${indexDir} does not exist yet: building a new index there.`);
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
