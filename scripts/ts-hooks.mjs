// Runs the TypeScript sources in-thread: `node --import ./scripts/ts-hooks.mjs file.ts` (what npm start and the
// npm scripts run). tsx registers its loader with module.register(), whose hooks run on another thread: every
// import pays a round trip, 0.6–0.9 s of each start-up here (about a third of the bot's cold start).
// module.registerHooks() (Node ≥ 22.15) runs the same two hooks in-thread; the transform is the one tsx uses
// (esbuild, tsx's own dependency), cached by content under the temp folder as tsx caches it.
// Older Node 22 lines fall back to tsx's loader.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (typeof module.registerHooks !== 'function') {
  const { register } = await import('tsx/esm/api');
  register();
} else {
  const { transformSync, version } = await import('esbuild');
  const cacheDir = path.join(os.tmpdir(), `story-desk-ts-${os.userInfo().uid}`);
  mkdirSync(cacheDir, { recursive: true });
  const options = { loader: 'ts', format: 'esm', target: 'node22', sourcemap: 'inline', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } };
  const optionsKey = JSON.stringify([version, options]);

  module.registerHooks({
    // Sources import each other as `./module.js` (NodeNext style): the file is `./module.ts`.
    resolve(specifier, context, next) {
      if (context.parentURL?.endsWith('.ts') && specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
        try {
          return next(`${specifier.slice(0, -3)}.ts`, context);
        } catch {
          // A real .js file next to the sources.
        }
      }
      return next(specifier, context);
    },
    load(url, context, next) {
      if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
      const file = fileURLToPath(url);
      const source = readFileSync(file, 'utf8');
      const key = createHash('sha256').update(optionsKey).update(file).update('\0').update(source).digest('hex');
      const cached = path.join(cacheDir, `${key}.mjs`);
      let code;
      try {
        code = readFileSync(cached, 'utf8');
      } catch {
        code = transformSync(source, { ...options, sourcefile: file }).code;
        // Written aside then renamed: a process starting at the same time never reads half a file.
        const temporary = `${cached}.${process.pid}.tmp`;
        try {
          writeFileSync(temporary, code);
          renameSync(temporary, cached);
        } catch {
          // A read-only or full temp folder only costs the next start the transform again.
        }
      }
      return { format: 'module', source: code, shortCircuit: true };
    },
  });
}
