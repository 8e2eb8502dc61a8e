// Wiring shared by the CLI scripts and the bot: settings → model → index → answer engine.
import type { CoreConfig } from './config.js';
import { ConfigError } from './config.js';
import { CorpusError } from './corpus/load.js';
import { EmbeddingModelError, loadEmbedder, type Embedder } from './embed/embedder.js';
import type { AnswerEngine } from './answer/ask.js';
import { IndexError, loadIndex } from './store/files.js';
import type { LoadedIndex } from './store/types.js';

export async function openEngine(config: CoreConfig, embedder?: Embedder): Promise<AnswerEngine & { setIndex(index: LoadedIndex): void }> {
  const model = embedder ?? (await loadEmbedder(config.embedding));
  let index = await loadIndex(config.indexDir);
  if (index.manifest.model !== model.modelId) {
    throw new IndexError(`The index in ${config.indexDir} was built with the model "${index.manifest.model}", but EMBEDDING_MODEL is "${model.modelId}". Rebuild it with: npm run index`);
  }
  return {
    embedder: model,
    index: () => index,
    setIndex: (next) => (index = next),
    config: config.answer,
  };
}

/** Errors a person can fix from the message alone: shown without a stack trace. */
export function isUserFacingError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof CorpusError || error instanceof IndexError || error instanceof EmbeddingModelError;
}

/** For CLI entry points: a clear message and exit code 1, the stack only with DEBUG=1. */
export function exitWithError(error: unknown): never {
  if (isUserFacingError(error)) console.error(`Error: ${error.message}`);
  else console.error(`Unexpected error: ${(error as Error)?.message ?? String(error)}${process.env.DEBUG ? `\n${(error as Error)?.stack}` : '\n(set DEBUG=1 to see the stack trace)'}`);
  process.exit(1);
}
