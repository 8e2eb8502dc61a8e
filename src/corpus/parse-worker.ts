// Runs in a worker thread (src/corpus/budget.ts starts it): parses one article file at a time and splits its
// text into sentences, so a hostile file costs this thread's time and memory, never the bot's event loop.
import { parentPort } from 'node:worker_threads';
import { splitSentences } from '../chunk/sentences.js';
import { ArticleError, loadParsers, parseArticle } from './parse.js';
import type { ParseReply, ParseRequest } from './budget.js';

parentPort!.on('message', async (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const parsed = await parseArticle(request.file);
    const sentences = splitSentences(parsed.text);
    reply = { id: request.id, ok: true, parsed, sentences };
  } catch (error) {
    const article = error instanceof ArticleError;
    reply = { id: request.id, ok: false, article, message: (error as Error).message.split('\n')[0] ?? 'unknown error' };
  }
  parentPort!.postMessage(reply);
});
// The parsers load before the worker says it is ready: a file's time and memory budget then measure the file, not
// the parser libraries' own start-up.
await loadParsers();
// Loaded: files sent from now on are timed from when they arrive, not from when the parsers were loading.
parentPort!.postMessage({ ready: true });
