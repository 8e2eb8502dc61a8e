import { execFile } from 'node:child_process';
import { readFile, readdir, rm, stat, unlink, utimes, writeFile, appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import { selectQuotes, type ScoredSentence } from '../src/answer/quotes.js';
import { buildIndex } from '../src/indexing/build.js';
import { currentVersionDir, loadIndex } from '../src/store/files.js';
import { CorpusError } from '../src/corpus/load.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { renderAnswerText } from '../src/render/terminal.js';
import { copyCorpus, ROOT, SEED_MOSCOW_TIMES, SEED_PACT, TEST_ENV, tempDir, testConfig, testEmbedder } from './helpers.js';

const run = promisify(execFile);
let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(() => work.cleanup());

async function freshSetup(name: string) {
  const corpusDir = await copyCorpus(path.join(work.dir, `${name}-corpus`));
  const indexDir = path.join(work.dir, `${name}-index`);
  const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
  return { corpusDir, indexDir, config };
}

describe('building the index and answering from it', () => {
  it('answers a question with verbatim quotes and numbered, complete citations', async () => {
    const { config } = await freshSetup('answer');
    const embedder = await testEmbedder();
    const summary = await buildIndex(config, embedder);
    expect(summary).toMatchObject({ articles: 2, embeddedArticles: 2, reusedArticles: 0 });
    expect(summary.chunks).toBeGreaterThanOrEqual(4);

    const engine = await openEngine(config, embedder);
    const answer = await ask(engine, 'What gift did Putin give Kim?');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts[0]!.quote).toContain('luxury car');
    const index = engine.index();
    for (const excerpt of answer.excerpts) {
      const source = answer.sources.find((s) => s.n === excerpt.source)!;
      const article = index.articles.find((a) => a.file === source.file)!;
      expect(article.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
    }
    expect(answer.sources.map((s) => s.n)).toEqual(answer.sources.map((_, i) => i + 1));
    const mt = answer.sources.find((s) => s.file === SEED_MOSCOW_TIMES)!;
    expect(mt).toMatchObject({ publisher: 'themoscowtimes.com', date: '2024-06-19' });
    expect(mt.url).toMatch(/^https:\/\/www\.themoscowtimes\.com\//);

    // The terminal form: each quote with its [n] (one passage, should it read on into the next paragraph), then every
    // source with title, publisher, date and URL.
    const text = renderAnswerText(answer);
    for (const e of answer.excerpts)
      expect(text).toContain(`“${e.trimmedStart ? '…' : ''}${e.quote.replace(/\s*\n\s*/g, ' ')}${e.trimmedEnd ? '…' : ''}” [${e.source}]`);
    expect(text).toContain(`\nSources:\n`);
    expect(text).toContain(`  [${mt.n}] ${mt.title} — themoscowtimes.com, 2024-06-19\n      ${mt.url}`);

    // A sentence that points back ("Such illegal actions…") is quoted with the sentence it points to.
    const anaphoric = await ask(engine, 'Which actions undermine the global economic and political system?');
    expect(anaphoric.excerpts[0]!.quote).toMatch(
      /^We oppose the practice of applying politically motivated sanctions and restrictions\. Such illegal actions only undermine/,
    );
  });

  it('an unsure answer reads on: its first quote brings the next sentence, into the next paragraph too; a sure one does not', async () => {
    const { config } = await freshSetup('reads-on');
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    const index = (await openEngine(config, embedder)).index();
    const a = index.articles.findIndex((x) => x.file === SEED_MOSCOW_TIMES);
    const article = index.articles[a]!;
    const s = article.sentences.findIndex((span) => article.text.slice(span.start, span.end).startsWith('Putin gifted Kim a luxury car'));
    const [best, next] = [article.sentences[s]!, article.sentences[s + 1]!];
    expect(article.text.slice(best.end, next.start)).toContain('\n'); // the next sentence opens a paragraph
    const quotes = (confidence: number, more: ScoredSentence[] = []) =>
      selectQuotes(index, [{ article: a, sentence: s, score: 0, confidence }, ...more], 3, 0.1).map((q) => article.text.slice(q.start, q.end));

    expect(quotes(0.8)).toEqual([article.text.slice(best.start, best.end)]);
    expect(quotes(0.3)).toEqual([article.text.slice(best.start, next.end)]);
    // Quoted on its own already (a supporting quote), the next sentence is not repeated.
    expect(quotes(0.3, [{ article: a, sentence: s + 1, score: -1, confidence: 0.2 }])).toEqual([
      article.text.slice(best.start, best.end),
      article.text.slice(next.start, next.end),
    ]);
  });

  it('re-indexes incrementally: unchanged skipped, changed re-embedded, deleted removed, settings force a rebuild', async () => {
    const { corpusDir, indexDir, config } = await freshSetup('incremental');
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);

    const again = await buildIndex(config, embedder);
    expect(again).toMatchObject({ embeddedArticles: 0, reusedArticles: 2, removedArticles: 0 });

    // Touched but the same bytes: read and hashed, not re-embedded; the new stamp is recorded.
    const moscow = path.join(corpusDir, SEED_MOSCOW_TIMES);
    const touched = new Date('2024-06-20T12:00:00Z');
    await utimes(moscow, touched, touched);
    expect(await buildIndex(config, embedder)).toMatchObject({ embeddedArticles: 0, reusedArticles: 2 });
    // Same size and modification time as recorded: not even read, which keeps a re-index of a big corpus
    // proportional to what changed. Proven by bytes swapped behind the index's back going unnoticed.
    const original = await readFile(moscow);
    await writeFile(moscow, Buffer.from(original).reverse());
    await utimes(moscow, touched, touched);
    expect(await buildIndex(config, embedder)).toMatchObject({ articles: 2, embeddedArticles: 0, reusedArticles: 2 });
    await writeFile(moscow, original);
    expect(await buildIndex(config, embedder)).toMatchObject({ embeddedArticles: 0, reusedArticles: 2 }); // new stamp, indexed bytes

    await appendFile(path.join(corpusDir, SEED_PACT), '\nThe treaty also covers cooperation on space exploration and lunar research.\n');
    await writeFile(path.join(corpusDir, 'extra.md'), '# Extra note\n\nThe orchestra played a waltz for the delegates at the state banquet.\n');
    const changed = await buildIndex(config, embedder);
    expect(changed).toMatchObject({ articles: 3, embeddedArticles: 2, reusedArticles: 1 });
    const engine = await openEngine(config, embedder);
    expect((await ask(engine, 'lunar research space exploration')).excerpts[0]!.quote).toContain('lunar research');

    await unlink(path.join(corpusDir, 'extra.md'));
    const removed = await buildIndex(config, embedder);
    expect(removed).toMatchObject({ articles: 2, removedArticles: 1, embeddedArticles: 0 });
    expect(Object.keys((await loadIndex(indexDir)).manifest.articles).sort()).toEqual([SEED_PACT, SEED_MOSCOW_TIMES].sort());

    // Grown step by step (articles and term counts carried over), it matches an index built from scratch.
    const scratchDir = path.join(work.dir, 'incremental-scratch-index');
    await buildIndex(testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: scratchDir }), embedder, { full: true });
    const [grown, scratch] = [await loadIndex(indexDir), await loadIndex(scratchDir)];
    expect(grown.articles).toEqual(scratch.articles);
    expect(grown.chunks).toEqual(scratch.chunks);
    for (const q of ['Putin Kim treaty', 'luxury car gift', 'lunar research', 'ammunition shells']) {
      expect(grown.lexical.search(q, 10)).toEqual(scratch.lexical.search(q, 10));
    }

    const reasons: (string | null)[] = [];
    const onPlan = (p: { reason: string | null }) => reasons.push(p.reason);
    const rechunked = await buildIndex(testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, CHUNK_MAX_TOKENS: '96' }), embedder, { onPlan });
    expect(rechunked).toMatchObject({ embeddedArticles: 2, reusedArticles: 0 });
    expect((await loadIndex(indexDir)).manifest.chunker.maxTokens).toBe(96);

    const prefixed = await buildIndex(
      testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, CHUNK_MAX_TOKENS: '96', PASSAGE_PREFIX: 'passage: ' }),
      embedder,
      { onPlan },
    );
    expect(prefixed).toMatchObject({ embeddedArticles: 2, reusedArticles: 0 });

    // Another model: every vector is re-made, and the old model can no longer answer from this index.
    const other = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, CHUNK_MAX_TOKENS: '96', EMBEDDING_MODEL: 'Bench/minilm-l6-random' });
    const remodelled = await buildIndex(other, await loadEmbedder(other.embedding), { onPlan });
    expect(remodelled).toMatchObject({ embeddedArticles: 2, reusedArticles: 0 });
    expect(reasons).toEqual(['chunker setting changed: full rebuild', 'passage prefix changed: full rebuild', 'embedding model changed: full rebuild']);
    expect((await loadIndex(indexDir)).manifest).toMatchObject({ model: 'Bench/minilm-l6-random', dimensions: 384 });
    await expect(openEngine(config, embedder)).rejects.toThrow(/built with the model "Bench\/minilm-l6-random".*Rebuild it with: npm run index/);
  });

  it('adds articles as new segments without rewriting the old ones, and repacks after a removal or too many segments', async () => {
    const { corpusDir, indexDir, config } = await freshSetup('segments');
    const embedder = await testEmbedder();
    const first = await buildIndex(config, embedder);
    const firstManifest = JSON.parse(await readFile(path.join(first.versionDir, 'manifest.json'), 'utf8'));
    const [base] = firstManifest.segments;

    await writeFile(path.join(corpusDir, 'banquet.md'), '# Banquet\n\nThe Moranbong Band performed at the state banquet in Pyongyang.\n');
    const grown = await buildIndex(config, embedder);
    expect(grown).toMatchObject({ articles: 3, embeddedArticles: 1, reusedArticles: 2 });
    const manifest = JSON.parse(await readFile(path.join(grown.versionDir, 'manifest.json'), 'utf8'));
    expect(manifest.segments.map((s: { name: string }) => s.name)).toEqual([base.name, path.basename(grown.versionDir)]);
    expect(manifest.segments[1]).toMatchObject({ articles: 1 });
    // The old segment's files are the very same files (hard links), not rewritten copies.
    for (const suffix of ['.pb', '.articles.json', '.sentences.i8', '.lexical.json']) {
      const [before, after] = await Promise.all([
        stat(path.join(first.versionDir, `${base.name}${suffix}`)),
        stat(path.join(grown.versionDir, `${base.name}${suffix}`)),
      ]);
      expect(after.ino).toBe(before.ino);
    }
    expect(JSON.parse(await readFile(path.join(first.versionDir, 'manifest.json'), 'utf8'))).toEqual(firstManifest);

    // Loaded from two segments, it is the index a scratch build makes (up to article order).
    const scratchDir = path.join(work.dir, 'segments-scratch-index');
    await buildIndex(testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: scratchDir }), embedder, { full: true });
    const [two, one] = [await loadIndex(indexDir), await loadIndex(scratchDir)];
    const dims = two.manifest.dimensions;
    const byFile = (index: typeof two) => new Map(index.articles.map((a, i) => [a.file, { a, i }]));
    const [twoArticles, oneArticles] = [byFile(two), byFile(one)];
    expect([...twoArticles.keys()].sort()).toEqual([...oneArticles.keys()].sort());
    for (const [file, { a }] of twoArticles) {
      const b = oneArticles.get(file)!.a;
      expect({ ...a, sentenceRow: 0 }).toEqual({ ...b, sentenceRow: 0 });
      const rows = (index: typeof two, row: number) => Array.from({ length: a.sentences.length }, (_, s) => index.sentenceVectors.row(row + s));
      expect(rows(two, a.sentenceRow)).toEqual(rows(one, b.sentenceRow));
    }
    const key = (index: typeof two, c: number) => `${index.articles[index.chunks[c]!.article]!.file}#${index.chunks[c]!.index}`;
    const keyed = (index: typeof two) =>
      new Map(index.chunks.map((c, i) => [key(index, i), { text: c.text, vector: [...index.chunkVectors.subarray(i * dims, (i + 1) * dims)] }]));
    expect(keyed(two)).toEqual(keyed(one));
    for (const q of ['Putin Kim treaty', 'Moranbong Band banquet', 'ammunition shells']) {
      const hits = (index: typeof two) => index.lexical.search(q, 10).map((h) => [key(index, h.doc), h.score.toFixed(9)]);
      expect(hits(two)).toEqual(hits(one));
    }
    const engine = await openEngine(config, embedder);
    expect((await ask(engine, 'Which band performed at the state banquet?')).excerpts[0]!.quote).toContain('Moranbong Band');

    // Up to MAX_SEGMENTS (8), then one repacked segment; a removal repacks too.
    const counts: number[] = [];
    for (let i = 0; i < 7; i++) {
      await writeFile(path.join(corpusDir, `note-${i}.md`), `# Note ${i}\n\nThe delegation number ${i} arrived at the airport.\n`);
      counts.push(JSON.parse(await readFile(path.join((await buildIndex(config, embedder)).versionDir, 'manifest.json'), 'utf8')).segments.length);
    }
    expect(counts).toEqual([3, 4, 5, 6, 7, 8, 1]);
    await unlink(path.join(corpusDir, 'banquet.md'));
    await writeFile(path.join(corpusDir, 'note-7.md'), '# Note 7\n\nA last note.\n');
    const repacked = await buildIndex(config, embedder);
    expect(repacked).toMatchObject({ removedArticles: 1, embeddedArticles: 1 });
    expect(JSON.parse(await readFile(path.join(repacked.versionDir, 'manifest.json'), 'utf8')).segments).toHaveLength(1);
    expect((await loadIndex(indexDir)).articles.map((a) => a.file)).toEqual(
      [SEED_PACT, SEED_MOSCOW_TIMES, ...Array.from({ length: 8 }, (_, i) => `note-${i}.md`)].sort(),
    );

    // A segment file gone missing is not linked forward: the next build repacks from the corpus instead.
    await rm(path.join(repacked.versionDir, `${path.basename(repacked.versionDir)}.lexical.json`));
    await writeFile(path.join(corpusDir, 'note-8.md'), '# Note 8\n\nOne more note.\n');
    const healed = await buildIndex(config, embedder);
    expect(healed).toMatchObject({ articles: 11, embeddedArticles: 11 });
    expect((await loadIndex(indexDir)).articles).toHaveLength(11);
  });

  it('keeps the previous index intact when a build fails, and keeps only two versions on disk', async () => {
    const { corpusDir, indexDir, config } = await freshSetup('failure');
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    await buildIndex(config, embedder, { full: true });
    await buildIndex(config, embedder, { full: true });
    expect((await readdir(indexDir)).filter((n) => n.startsWith('v-'))).toHaveLength(2);
    const before = await currentVersionDir(indexDir);
    const manifestBefore = await readFile(path.join(before!, 'manifest.json'), 'utf8');

    await rm(corpusDir, { recursive: true });
    await expect(buildIndex(config, embedder)).rejects.toThrow(CorpusError);
    const broken = {
      ...embedder,
      embedPassages: async () => {
        throw new Error('disk full');
      },
    };
    await copyCorpus(corpusDir);
    await writeFile(path.join(corpusDir, 'new.md'), '# New\n\nA brand new sentence to embed.\n');
    await expect(buildIndex(config, broken)).rejects.toThrow('disk full');

    expect(await currentVersionDir(indexDir)).toBe(before);
    expect(await readFile(path.join(before!, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect((await loadIndex(indexDir)).articles).toHaveLength(2);
    expect((await readdir(indexDir)).filter((n) => n.startsWith('.staging'))).toEqual([]);
  });

  it('refuses an index built by another version of Story Desk, says how to rebuild, and a build replaces it', async () => {
    const { indexDir, config } = await freshSetup('format');
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    const manifestFile = path.join((await currentVersionDir(indexDir))!, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: manifest.formatVersion - 1 }));
    await expect(loadIndex(indexDir)).rejects.toThrow(/another version of Story Desk.*Rebuild it with: npm run index/);
    const rebuilt = await buildIndex(config, embedder);
    expect(rebuilt.embeddedArticles).toBe(2);
    expect((await loadIndex(indexDir)).articles).toHaveLength(2);
  });

  it('refuses an empty corpus with a clear message', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await expect(buildIndex(testConfig({ CORPUS_DIR: dir, INDEX_DIR: path.join(dir, 'idx') }), await testEmbedder())).rejects.toThrow(/No articles to index/);
    } finally {
      await cleanup();
    }
  });
});

describe('the CLI', () => {
  const env = { ...process.env, ...TEST_ENV, MODEL_DIR: path.resolve(TEST_ENV.MODEL_DIR) };
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');

  it('index skips bad files with a warning and shows plain progress lines off a terminal; ask --json prints one answer object per question', async () => {
    const { corpusDir, indexDir } = await freshSetup('cli');
    await writeFile(path.join(corpusDir, 'photo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    await writeFile(path.join(corpusDir, 'empty.md'), '\n\n');
    await writeFile(path.join(corpusDir, 'broken.md'), '---\ntitle: [unclosed\n---\nSome text.\n');
    const indexed = await run(tsx, ['scripts/index.ts', '--corpus', corpusDir, '--index', indexDir], { cwd: ROOT, env });
    expect(indexed.stdout).toMatch(/Indexed 2 article\(s\), \d+ chunks in [\d.]+ s \(2 embedded, 0 unchanged, 0 removed, 3 skipped\)/);
    for (const file of ['photo.txt', 'empty.md', 'broken.md']) expect(indexed.stderr).toMatch(new RegExp(`^Warning: skipped ${file}: .+`, 'm'));
    // ...and named again in the summary, where the run ends.
    expect(indexed.stdout).toMatch(/^Skipped:\n {2}broken\.md: .+\n {2}empty\.md: .+\n {2}photo\.txt: .*not a text file/m);
    // stderr is a pipe here: whole lines, no carriage-return redraws.
    expect(indexed.stderr).toMatch(/^(\d+)\/\1 chunks {2}[\d.]+\/s {2}ETA 0s$/m);
    expect(indexed.stderr).not.toContain('\r');
    // Each stage shows a line as it starts, before anything is done: reading the files, then embedding.
    const progressLines = indexed.stderr.split('\n');
    const reading = progressLines.findIndex((l) => /^0\/\d+ files read$/.test(l));
    const read = progressLines.findIndex((l) => /^(\d+)\/\1 files read {2}[\d.]+\/s {2}ETA 0s$/.test(l));
    const embedding = progressLines.findIndex((l) => /^0\/\d+ chunks$/.test(l));
    expect(reading).toBeGreaterThan(-1);
    expect(read).toBeGreaterThan(reading);
    expect(embedding).toBeGreaterThan(read);
    const { stdout } = await run(
      tsx,
      ['scripts/ask.ts', '--index', indexDir, '--json', 'Where did Kim Jong Un meet Putin last September?', 'How do I bake bread?'],
      { cwd: ROOT, env },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    const [first, second] = lines;
    expect(Object.keys(first).sort()).toEqual([
      'answered',
      'confidence',
      'excerpts',
      'lowConfidence',
      'message',
      'question',
      'readAs',
      'sources',
      'status',
      'timings',
    ]);
    expect(first.question).toBe('Where did Kim Jong Un meet Putin last September?');
    expect(first.answered).toBe(true);
    expect(first.excerpts[0]).toEqual({ quote: expect.any(String), source: 1, score: expect.any(Number), start: expect.any(Number), end: expect.any(Number) });
    expect(first.sources[0]).toEqual({
      n: 1,
      title: expect.any(String),
      publisher: expect.toSatisfy((p: unknown) => p === null || typeof p === 'string'),
      date: '2024-06-19',
      url: expect.toSatisfy((u: unknown) => u === null || typeof u === 'string'),
      file: expect.any(String),
      authors: expect.any(Array),
    });
    expect(first.timings.totalMs).toBeGreaterThan(0);
    expect(second).toMatchObject({ answered: false, excerpts: [], sources: [] });
  });

  it('ask --stdin answers one question per line, building a missing index first and saying how to build it', async () => {
    const { corpusDir, indexDir } = await freshSetup('cli-stdin');
    // An existing, empty folder: --index naming no folder at all is refused (next test).
    await mkdir(indexDir);
    const child = execFile(tsx, ['scripts/ask.ts', '--corpus', corpusDir, '--index', indexDir, '--json', '--stdin'], { cwd: ROOT, env });
    const done = new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ stdout, stderr, code }));
    });
    child.stdin!.end('What gift did Putin give Kim?\n\nHow many US troops are based in South Korea?\n');
    const { stdout, stderr, code } = await done;
    expect(code).toBe(0);
    expect(stderr).toContain(`No index in ${indexDir} yet: building it from ${corpusDir} (next time: npm run index)`);
    const answers = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.question)).toEqual(['What gift did Putin give Kim?', 'How many US troops are based in South Korea?']);
    expect(answers[0].excerpts[0].quote).toContain('luxury car');
    expect(answers[1].excerpts[0].quote).toContain('28,000');
    expect(await currentVersionDir(indexDir)).not.toBeNull();
  });

  it('--index naming a folder that does not exist: ask says so (no new index); index builds in a new folder of an existing one, says so, and refuses a missing parent', async () => {
    const { corpusDir, indexDir } = await freshSetup('cli-no-such-index');
    const asked = await run(tsx, ['scripts/ask.ts', '--corpus', corpusDir, '--index', indexDir, 'What gift did Putin give Kim?'], { cwd: ROOT, env }).catch(
      (e) => e,
    );
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      `Error: The index folder ${indexDir} (--index) does not exist. Check the path, or build an index there first: npm run index -- --index ${indexDir}`,
    );
    await expect(stat(indexDir)).rejects.toThrow();

    const nested = path.join(indexDir, 'typo', 'index');
    const refused = await run(tsx, ['scripts/index.ts', '--corpus', corpusDir, '--index', nested], { cwd: ROOT, env }).catch((e) => e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Error: Neither the index folder ${nested} (--index) nor its parent ${path.dirname(nested)} exists.`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    await expect(stat(indexDir)).rejects.toThrow();

    const built = await run(tsx, ['scripts/index.ts', '--corpus', corpusDir, '--index', indexDir], { cwd: ROOT, env });
    expect(built.stderr).toContain(`Note: ${indexDir} does not exist yet: building a new index there.`);
    expect(await currentVersionDir(indexDir)).not.toBeNull();
  });

  it('tells the user how to fix a missing model instead of printing a stack trace', async () => {
    const { indexDir } = await freshSetup('cli-missing-model');
    await mkdir(indexDir);
    const failure = await run(tsx, ['scripts/ask.ts', '--index', indexDir, 'anything'], {
      cwd: ROOT,
      env: { ...env, EMBEDDING_MODEL: 'Nobody/no-such-model' },
    }).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('Could not load the embedding model "Nobody/no-such-model"');
    expect(failure.stderr).toContain('MODEL_DIR');
    expect(failure.stderr).not.toMatch(/\n\s+at /);
  });
});
