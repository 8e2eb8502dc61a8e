// vectra's entry point loads everything it ships (GPT-3 tokenizer tables, web fetcher, HTTP server): about
// 0.5 s of every start-up for the one class the index uses. Load just that from vectra's own files, and
// fall back to the entry point should a later version move it.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Vectra from 'vectra';

const require = createRequire(import.meta.url);

function loadVectra(): Pick<typeof Vectra, 'ProtobufCodec'> {
  try {
    const lib = path.dirname(require.resolve('vectra'));
    const { ProtobufCodec } = require(path.join(lib, 'codecs', 'index.js')) as typeof Vectra;
    if (ProtobufCodec) return { ProtobufCodec };
  } catch {
    // Layout changed: use the entry point below.
  }
  return require('vectra') as typeof Vectra;
}

export const { ProtobufCodec } = loadVectra();
