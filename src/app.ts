// Wiring shared by the CLI scripts and the bot: settings → model → index → answer engine.
import type { CoreConfig } from './config.js';
import { ConfigError } from './config.js';
import { terminalSafe } from './render/terminal-safe.js';
import { AddError } from './adding/add.js';
import { FetchError } from './adding/fetch.js';
import { CorpusError } from './corpus/load.js';
import { OnboardingError } from './discord/onboarding-error.js';
import { FeedbackError } from './feedback/store.js';
import { EmbeddingModelError, loadEmbedder, type Embedder } from './embed/embedder.js';
import type { AnswerEngine } from './answer/ask.js';
import { loadReranker, RerankerModelError } from './answer/reranker.js';
import { checkBuiltWith, IndexError, loadIndex, type IndexExpectation } from './store/files.js';
import type { LoadedIndex } from './store/types.js';

export async function openEngine(config: CoreConfig, embedder?: Embedder | Promise<Embedder>): Promise<AnswerEngine & { setIndex(index: LoadedIndex): void }> {
  // The model and the index load side by side: setting up the model is mostly native work on this thread, while
  // the index's files are read on libuv's threads meanwhile (about 0.1-0.2 s of a cold start at 10k chunks).
  // Another model's index is refused by name before its files are read, and by dimensions once both are in.
  const [model, loaded] = await Promise.all([embedder ?? loadEmbedder(config.embedding), loadIndex(config.indexDir, { model: config.embedding.model })]);
  let index = loaded;
  checkBuiltWith(config.indexDir, index.manifest, expectationOf(model));
  // ANSWER_MODEL (empty: none): loaded after the embedder, from the same model folder, cache and quantization settings.
  const reranker = await loadReranker(config);
  return {
    embedder: model,
    index: () => index,
    setIndex: (next) => (index = next),
    config: config.answer,
    ...(reranker ? { reranker } : {}),
  };
}

/** What an index must have been built with for this model to answer from it. */
export function expectationOf(model: Embedder): IndexExpectation {
  return { model: model.modelId, dimensions: model.dimensions };
}

/** Errors a person can fix from the message alone: shown without a stack trace. */
export function isUserFacingError(error: unknown): error is Error {
  return USER_FACING.some((kind) => error instanceof kind);
}

// One class per line: each module that adds its own user-facing error adds one line.
const USER_FACING: (abstract new (...args: never[]) => Error)[] = [
  ConfigError,
  CorpusError,
  IndexError,
  EmbeddingModelError,
  RerankerModelError,
  FeedbackError,
  OnboardingError,
  AddError,
  FetchError,
];

/** For CLI entry points: a clear message and exit code 1, the stack only with DEBUG=1. */
export function exitWithError(error: unknown): never {
  // A message may carry what a server sent (an HTTP status text): no escape sequence reaches the terminal.
  if (isUserFacingError(error)) console.error(terminalSafe(`Error: ${error.message}`));
  else
    console.error(
      terminalSafe(
        `Unexpected error: ${(error as Error)?.message ?? String(error)}${process.env.DEBUG ? `\n${(error as Error)?.stack}` : '\n(set DEBUG=1 to see the stack trace)'}`,
      ),
    );
  process.exit(1);
}
