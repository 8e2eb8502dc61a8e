// An index that heals and never loses an update: damaged files found by their checksums and rebuilt from
// the articles they held, one writer at a time, leftovers of killed builds removed, and a bot that
// refuses another model's index on reload while it keeps serving its own. Real files, real model.
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../src/answer/ask.js';
import { openEngine } from '../src/app.js';
import { StoryDesk } from '../src/desk.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/indexing/build.js';
import { currentVersionDir, loadIndex } from '../src/store/files.js';
import { LOCK_FILE, withIndexLock } from '../src/store/lock.js';
import type { Manifest } from '../src/store/types.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig, testEmbedder } from './helpers.js';

const run = promisify(execFile);
let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(() => work.cleanup());

const BANQUET = '# Banquet\n\nThe Moranbong Band performed at the state banquet in Pyongyang.\n';

/** The seeds in one segment, a third article in a second one. */
async function twoSegments(name: string) {
  const corpusDir = await copyCorpus(path.join(work.dir, `${name}-corpus`));
  const indexDir = path.join(work.dir, `${name}-index`);
  const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
  const embedder = await testEmbedder();
  await buildIndex(config, embedder);
  await writeFile(path.join(corpusDir, 'banquet.md'), BANQUET);
  const { versionDir } = await buildIndex(config, embedder);
  const manifest = JSON.parse(await readFile(path.join(versionDir, 'manifest.json'), 'utf8')) as Manifest;
  expect(manifest.segments).toHaveLength(2);
  return { corpusDir, indexDir, config, embedder, versionDir, manifest };
}

describe('damaged index files', () => {
  const damages: [string, string, (file: string) => Promise<void>][] = [
    ['a truncated .pb', '.pb', (file) => truncate(file, 100)],
    ['a truncated .lexical.json', '.lexical.json', (file) => truncate(file, 50)],
    ['a truncated .articles.json', '.articles.json', (file) => truncate(file, 20)],
    ['a zero-filled .sentences.i8 of the right size', '.sentences.i8', async (file) => writeFile(file, Buffer.alloc((await stat(file)).size))],
  ];
  for (const [what, suffix, damage] of damages) {
    it(`${what}: refused at load, repaired by the next build re-embedding only its segment's articles`, async () => {
      const { indexDir, config, embedder, versionDir, manifest } = await twoSegments(`damage${suffix.replace(/\W/g, '-')}`);
      const [seeds, added] = manifest.segments;
      // The seeds' segment is the damaged one here for two kinds, the added article's for the others.
      const victim = suffix === '.pb' || suffix === '.sentences.i8' ? added! : seeds!;
      await damage(path.join(versionDir, `${victim.name}${suffix}`));
      await expect(loadIndex(indexDir)).rejects.toThrow(new RegExp(`${victim.name}\\${suffix} is damaged or incomplete.*Repair it with: npm run index`));

      const repairs: string[] = [];
      const summary = await buildIndex(config, embedder, { onRepair: (r) => repairs.push(`${r.segment}: ${r.problem} (${r.articles})`) });
      expect(repairs).toEqual([expect.stringContaining(`${victim.name}: ${victim.name}${suffix}`)]);
      expect(summary).toMatchObject({ articles: 3, embeddedArticles: victim.articles, repairs: [{ segment: victim.name, articles: victim.articles }] });
      // The damaged segment is gone from the new version; nothing of it was carried forward.
      const next = JSON.parse(await readFile(path.join(summary.versionDir, 'manifest.json'), 'utf8')) as Manifest;
      expect(next.segments.map((s) => s.name)).not.toContain(victim.name);
      const engine = await openEngine(config, embedder);
      expect((await ask(engine, 'Which band performed at the state banquet?')).excerpts[0]!.quote).toContain('Moranbong Band');
      expect((await ask(engine, 'What gift did Putin give Kim?')).answered).toBe(true);
    });
  }

  it('npm run index says what it repaired and exits 0', async () => {
    const { corpusDir, indexDir, versionDir, manifest } = await twoSegments('cli-repair');
    await truncate(path.join(versionDir, `${manifest.segments[1]!.name}.articles.json`), 10);
    const env = { ...process.env, ...TEST_ENV, MODEL_DIR: path.resolve(TEST_ENV.MODEL_DIR) };
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/index.ts', '--corpus', corpusDir, '--index', indexDir], {
      cwd: ROOT,
      env,
    });
    expect(stderr).toMatch(
      new RegExp(
        `^Repair: index segment ${manifest.segments[1]!.name}: .*articles\\.json has \\d+ bytes, the manifest says \\d+; embedding its 1 article\\(s\\) again$`,
        'm',
      ),
    );
    expect(stdout).toMatch(/Indexed 3 article\(s\), .*\(1 embedded, 2 unchanged, 0 removed, 1 damaged segment\(s\) repaired\)/);
    expect((await loadIndex(indexDir)).articles).toHaveLength(3);
  });
});

describe('one writer at a time', () => {
  it('two concurrent builds: the second waits for the first, and no article is lost', async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'concurrent-corpus'));
    const indexDir = path.join(work.dir, 'concurrent-index');
    const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    await writeFile(path.join(corpusDir, 'first.md'), '# First\n\nThe first delegation arrived by train.\n');
    let second: Promise<unknown> | null = null;
    const waited: string[] = [];
    // The first build has read the corpus (without second.md) when the second article and build arrive, and
    // it is the slower one: without the lock it would publish last and drop second.md.
    const slow = {
      ...embedder,
      tokenize: embedder.tokenize.bind(embedder),
      embedPassages: async (...args: Parameters<typeof embedder.embedPassages>) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return embedder.embedPassages(...args);
      },
    };
    const first = buildIndex(config, slow, {
      onPlan: () => {
        void writeFile(path.join(corpusDir, 'second.md'), '# Second\n\nThe second delegation arrived by plane.\n').then(() => {
          second = buildIndex(config, embedder, { onLockWait: (holder) => waited.push(holder) });
        });
      },
    });
    await first;
    while (!second) await new Promise((resolve) => setTimeout(resolve, 10));
    await second;
    expect(waited).toEqual([expect.stringMatching(new RegExp(`^pid ${process.pid} on .*, started `))]);
    const files = (await loadIndex(indexDir)).articles.map((a) => a.file);
    expect(files).toEqual(expect.arrayContaining(['first.md', 'second.md']));
    expect(files).toHaveLength(4);
    await expect(readFile(path.join(indexDir, LOCK_FILE))).rejects.toThrow();
  });

  it("fails fast with a clear message when asked not to wait; a stale lock and killed builds' leftovers are cleaned up", async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'lock-corpus'));
    const indexDir = path.join(work.dir, 'lock-index');
    const embedder = await testEmbedder();
    const noWait = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, INDEX_LOCK_WAIT_SECONDS: '0' });
    await withIndexLock(indexDir, { waitMs: 0 }, async () => {
      await expect(buildIndex(noWait, embedder)).rejects.toThrow(/Another index build \(pid \d+ on .*\) is writing .*INDEX_LOCK_WAIT_SECONDS.*delete .*\.lock/);
    });

    // A build killed with its lock held and a staging folder half written.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await mkdir(indexDir, { recursive: true });
    await writeFile(path.join(indexDir, LOCK_FILE), JSON.stringify({ pid: dead.pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00Z', token: 'killed' }));
    await mkdir(path.join(indexDir, '.staging-v-20260101T000000000Z-1'), { recursive: true });
    await writeFile(path.join(indexDir, '.staging-v-20260101T000000000Z-1', 'x.pb'), 'half');
    const cleaned: string[] = [];
    const summary = await buildIndex(noWait, embedder, { onCleanup: (what) => cleaned.push(what) });
    expect(summary.articles).toBe(2);
    expect(cleaned).toEqual([
      expect.stringMatching(new RegExp(`^removed a stale lock \\(pid ${dead.pid} on `)),
      'removed .staging-v-20260101T000000000Z-1 left by a build that was stopped',
    ]);
    expect((await readdir(indexDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('a model change on reload', () => {
  it('is refused by the running bot, which keeps serving the previous index', async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'model-corpus'));
    const indexDir = path.join(work.dir, 'model-index');
    const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    const desk = await StoryDesk.open(config, embedder);
    const before = desk.stats().version;
    const errors: string[] = [];
    const loaded: string[] = [];
    const watcher = desk.watch(
      (s) => loaded.push(s.version),
      (e) => errors.push(e.message),
      60_000,
    );
    try {
      const other = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'Bench/minilm-l6-random' });
      await buildIndex(other, await loadEmbedder(other.embedding));
      await watcher.check();
      await watcher.check();
      expect(errors).toEqual([
        expect.stringMatching(
          /built with the model "Bench\/minilm-l6-random" \(384 dimensions\), but EMBEDDING_MODEL is "Local\/use-static-bert-uncased".*Rebuild it with: npm run index/,
        ),
      ]);
      expect(loaded).toEqual([]);
      expect(desk.stats().version).toBe(before);
      expect(await currentVersionDir(indexDir)).not.toBe(before);
      const answer = await desk.ask('What gift did Putin give Kim?');
      expect(answer.answered).toBe(true);
      expect(answer.confidence).toBeGreaterThan(0);
      // Built again with the bot's model, the next version is taken.
      await buildIndex(config, embedder);
      await watcher.check();
      expect(loaded).toEqual([await currentVersionDir(indexDir)]);
    } finally {
      watcher.close();
    }
  });
});
