// npm run bench [-- --sizes 1000,10000,50000 --index-chunks 2000 --questions 200 --json]
// Speed of the real pipeline, measured with the benchmark model (real MiniLM-L6 compute, random weights).
// Alternatives run side by side in the same process and are reported as ratios; medians and ranges, no single runs.
import '../src/env-file.js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exitWithError, openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import type { Timings } from '../src/answer/types.js';
import { loadCoreConfig, type CoreConfig } from '../src/config.js';
import { loadCorpus } from '../src/corpus/load.js';
import { splitSentences } from '../src/chunk/sentences.js';
import { loadEmbedder, naivePipelineThroughput, type Embedder } from '../src/embed/embedder.js';
import { percentile } from '../src/util/percentile.js';
import { buildIndex } from '../src/indexing/build.js';
import { currentVersionDir, loadIndex } from '../src/store/files.js';
import { parseCli } from './cli-args.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const USAGE = 'Usage: npm run bench -- [--sizes 1000,10000,50000] [--index-chunks 2000] [--rounds 3] [--questions 200] [--json] [--format saved.json]';

const { values } = parseCli(
  {
    sizes: { type: 'string' },
    'index-chunks': { type: 'string' },
    rounds: { type: 'string' },
    questions: { type: 'string' },
    json: { type: 'boolean' },
    'skip-indexing': { type: 'boolean' },
    format: { type: 'string' },
  },
  USAGE,
);
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
// Prints the table for a report saved with --json (how the README's table is made).
if (typeof values.format === 'string') {
  console.log(formatReport(JSON.parse(await readFile(values.format, 'utf8'))));
  process.exit(0);
}

const sizes = (values.sizes ?? '1000,10000,50000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const indexChunks = Number(values['index-chunks'] ?? 2000);
const rounds = Number(values.rounds ?? 3);
const questionCount = Number(values.questions ?? 200);
/** Batch sizes compared side by side (model alone, length-sorted batches) to choose EMBEDDING_BATCH_SIZE from data. */
const BATCH_SIZES = [1, 4, 8, 16, 32];
const log = (line: string) => process.stderr.write(`${line}\n`);

const env = {
  ...process.env,
  MODEL_DIR: process.env.MODEL_DIR ?? (existsSync(path.resolve(ROOT, '../shared/models')) ? path.resolve(ROOT, '../shared/models') : ''),
  EMBEDDING_MODEL: process.env.BENCH_MODEL || 'Bench/minilm-l6-random',
  // Random weights: most questions would be declined. Never declining times the whole path, quotes included.
  ANSWER_MIN_CONFIDENCE: process.env.ANSWER_MIN_CONFIDENCE || '0',
};
const work = path.join(os.tmpdir(), `story-desk-bench-${process.pid}`);

try {
  const baseConfig = loadCoreConfig(env);
  const embedder = await loadEmbedder(baseConfig.embedding);
  const sentences = await seedSentences(baseConfig.corpusDir);
  const questions = benchQuestions(questionCount);
  const report: Record<string, unknown> = { machine: machine(), model: embedder.modelId, date: new Date().toISOString() };

  if (!values['skip-indexing']) report.indexing = await benchIndexing(baseConfig, embedder, sentences);
  const latency = [];
  for (const size of sizes) latency.push(await benchLatency(baseConfig, embedder, sentences, size, questions));
  report.latency = latency;
  const coldSize = sizes.includes(10_000) ? 10_000 : sizes[Math.min(1, sizes.length - 1)]!;
  report.coldStart = await benchColdStart(coldSize);
  report.memory = await benchMemory(sizes[sizes.length - 1]!);
  report.incremental = await benchIncremental(baseConfig, embedder, sentences, coldSize);

  if (values.json) console.log(JSON.stringify(report));
  else console.log(formatReport(report));
} catch (error) {
  exitWithError(error);
} finally {
  await rm(work, { recursive: true, force: true });
}

// ---------- workloads ----------

async function seedSentences(corpusDir: string): Promise<string[]> {
  const { articles } = await loadCorpus(corpusDir);
  return articles.flatMap((a) => splitSentences(a.text).map((s) => a.text.slice(s.start, s.end))).filter((s) => s.split(' ').length >= 6);
}

/** Deterministic pseudo-random numbers, so every run indexes the same synthetic corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The real articles' sentences recombined into many articles: realistic text and chunk lengths. */
async function syntheticCorpus(dir: string, chunks: number, sentences: string[], seed: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const rand = random(seed);
  // About four new sentences per 160-token chunk (one is the overlap).
  const perArticle = 24;
  const articles = Math.max(1, Math.round((chunks * 3.7) / perArticle));
  for (let a = 0; a < articles; a++) {
    const body: string[] = [];
    for (let p = 0; p < perArticle / 3; p++) body.push(Array.from({ length: 3 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' '));
    await writeFile(
      path.join(dir, `article-${String(a).padStart(5, '0')}.md`),
      `# Synthetic article ${a}\n\nJune ${1 + (a % 28)}, 2024\n\n${body.join('\n\n')}\n`,
    );
  }
}

function benchQuestions(count: number): string[] {
  const base = [
    'What did Putin and Kim sign?',
    'What present did the Russian leader bring?',
    'How much ammunition did North Korea send?',
    'Where did Kim meet Putin in September?',
    'How many US troops are in South Korea?',
    'Who is Vladimir Tikhonov?',
    'What did Kim call Putin?',
    'When did Putin last visit North Korea?',
    'What is the capital of France?',
    'Which car brand was the gift?',
  ];
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

/** Same model id and tokenizer, random vectors: builds big indexes fast for search benchmarks (vectors mean nothing here anyway). */
function randomVectorEmbedder(real: Embedder): Embedder {
  const rand = random(7);
  const vector = () => {
    const v = new Float32Array(real.dimensions);
    let norm = 0;
    for (let d = 0; d < v.length; d++) {
      const x = rand() - 0.5;
      v[d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < v.length; d++) v[d]! /= norm;
    return v;
  };
  return { ...real, embedPassages: async (passages) => passages.map((p) => ({ vector: vector(), pieces: (p.pieces ?? []).map(vector) })) };
}

function configFor(base: CoreConfig, corpusDir: string, indexDir: string): CoreConfig {
  return { ...base, corpusDir, indexDir };
}

async function benchIndexing(base: CoreConfig, embedder: Embedder, sentences: string[]) {
  const perRound = Math.max(10, Math.round(indexChunks / rounds));
  const results: { endToEnd: number; ceiling: number; naive: number; chunks: number }[] = [];
  const batching: { batchSize: number; chunksPerSecond: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const corpusDir = path.join(work, `index-corpus-${r}`);
    const indexDir = path.join(work, `index-${r}`);
    await syntheticCorpus(corpusDir, perRound, sentences, 100 + r);
    // The chunk texts, without the model, so either path can go first.
    await buildIndex(configFor(base, corpusDir, `${indexDir}-texts`), randomVectorEmbedder(embedder), { full: true });
    const texts = (await loadIndex(`${indexDir}-texts`)).chunks.map((c) => c.text);
    if (r === 0) {
      // Also the warm-up: onnxruntime's first runs on new shapes are slower than the rest.
      log('indexing: model alone by batch size…');
      for (const size of BATCH_SIZES)
        batching.push({ batchSize: size, chunksPerSecond: round(texts.length / (await embedder.modelOnlySeconds(texts, size)), 1) });
    }
    const endToEnd = async () => {
      log(`indexing round ${r + 1}/${rounds}: end to end…`);
      const summary = await buildIndex(configFor(base, corpusDir, indexDir), embedder, { full: true });
      return summary.chunks / summary.seconds;
    };
    const modelAlone = async () => {
      log(`indexing round ${r + 1}/${rounds}: model alone…`);
      return texts.length / (await embedder.modelOnlySeconds(texts));
    };
    // The model alone runs just before and just after, so a machine getting faster or slower mid-round
    // moves both sides of the ratio alike.
    const before = await modelAlone();
    const e2e = await endToEnd();
    const ceiling = (before + (await modelAlone())) / 2;
    log(`indexing round ${r + 1}/${rounds}: naive pipeline per chunk…`);
    const sample = texts.filter((_, i) => i % 4 === r % 4);
    const naive = await naivePipelineThroughput(base.embedding, sample);
    results.push({ endToEnd: e2e, ceiling, naive, chunks: texts.length });
  }
  const stats = (key: 'endToEnd' | 'ceiling' | 'naive') => summarize(results.map((r) => r[key]));
  return {
    chunksPerRound: results.map((r) => r.chunks),
    endToEnd: stats('endToEnd'),
    ceiling: stats('ceiling'),
    naive: stats('naive'),
    vsCeiling: summarize(results.map((r) => r.endToEnd / r.ceiling)),
    vsNaive: summarize(results.map((r) => r.endToEnd / r.naive)),
    batchSize: base.embedding.batchSize,
    batching,
  };
}

async function benchLatency(base: CoreConfig, embedder: Embedder, sentences: string[], size: number, questions: string[]) {
  const corpusDir = path.join(work, `latency-corpus-${size}`);
  const indexDir = path.join(work, `latency-index-${size}`);
  log(`latency at ${size} chunks: building a synthetic index…`);
  await syntheticCorpus(corpusDir, size, sentences, size);
  const config = configFor(base, corpusDir, indexDir);
  await buildIndex(config, randomVectorEmbedder(embedder), { full: true });
  const engine = await openEngine(config, embedder);
  for (const q of questions.slice(0, 5)) await ask(engine, q);
  const timings: Timings[] = [];
  for (const q of questions) timings.push((await ask(engine, q)).timings);
  const p = (key: keyof Timings, q: number) =>
    round(
      percentile(
        timings.map((t) => t[key] ?? 0),
        q,
      ),
      2,
    );
  return {
    chunks: engine.index().chunks.length,
    p50: p('totalMs', 0.5),
    p95: p('totalMs', 0.95),
    split: { embed: p('embedMs', 0.5), dense: p('denseMs', 0.5), lexical: p('lexicalMs', 0.5), quotes: p('quotesMs', 0.5) },
  };
}

async function benchColdStart(size: number) {
  const indexDir = path.join(work, `latency-index-${size}`);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    // As `npm run ask` runs it: node with the in-thread TypeScript hooks.
    await run(process.execPath, ['--import', './scripts/ts-hooks.mjs', 'scripts/ask.ts', '--index', indexDir, '--json', 'What did Putin and Kim sign?'], {
      cwd: ROOT,
      env,
    });
    samples.push((performance.now() - t) / 1000);
  }
  return { chunks: size, seconds: summarize(samples) };
}

async function benchMemory(size: number) {
  const indexDir = path.join(work, `latency-index-${size}`);
  const probe = `
    import { loadCoreConfig } from './src/config.js';
    import { openEngine } from './src/app.js';
    import { ask } from './src/answer/ask.js';
    const engine = await openEngine({ ...loadCoreConfig(), indexDir: process.argv[2] });
    await ask(engine, 'What did Putin and Kim sign?');
    globalThis.gc?.();
    console.log(JSON.stringify({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed }));`;
  const probeFile = path.join(ROOT, `.bench-memory-${process.pid}.ts`);
  await writeFile(probeFile, probe);
  try {
    // Resident memory depends on when freed pages go back to the system: three processes, median and range.
    const samples: { rss: number; heap: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const { stdout } = await run(process.execPath, ['--expose-gc', '--import', './scripts/ts-hooks.mjs', probeFile, indexDir], {
        cwd: ROOT,
        env,
        maxBuffer: 1 << 20,
      });
      samples.push(JSON.parse(stdout.trim().split('\n').pop()!));
    }
    const mib = (bytes: number[]) => summarize(bytes.map((b) => Math.round(b / 2 ** 20)));
    const version = (await currentVersionDir(indexDir))!;
    return {
      chunks: size,
      rssMiB: mib(samples.map((s) => s.rss)),
      heapMiB: mib(samples.map((s) => s.heap)),
      diskMiB: round((await folderBytes(version)) / 2 ** 20, 1),
    };
  } finally {
    await rm(probeFile, { force: true });
  }
}

async function benchIncremental(base: CoreConfig, embedder: Embedder, sentences: string[], size: number) {
  const corpusDir = path.join(work, `latency-corpus-${size}`);
  const indexDir = path.join(work, `latency-index-${size}`);
  const config = configFor(base, corpusDir, indexDir);
  const extra = path.join(work, 'extra');
  await syntheticCorpus(extra, 5, sentences, 999);
  const [file] = await readdir(extra);
  await rm(path.join(corpusDir, 'added.md'), { force: true });
  await writeFile(path.join(corpusDir, 'added.md'), await readFile(path.join(extra, file!)));
  log(`incremental: +1 article on a ${size}-chunk index…`);
  const summary = await buildIndex(config, embedder);
  return { indexChunks: size, addedArticles: summary.embeddedArticles, seconds: round(summary.seconds, 2) };
}

// ---------- reporting ----------

function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: round(percentile(sorted, 0.5), 2), min: round(sorted[0] ?? 0, 2), max: round(sorted[sorted.length - 1] ?? 0, 2) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) total += entry.isFile() ? (await stat(path.join(dir, entry.name))).size : 0;
  return total;
}

function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

// biome-ignore lint/suspicious/noExplicitAny: a report read back from JSON, in the shape this file writes
function formatReport(r: Record<string, any>): string {
  const range = (s: { median: number; min: number; max: number }, unit = '') => `${s.median}${unit} (${s.min}–${s.max})`;
  const lines = [`Machine: ${r.machine}; model ${r.model}; ${r.date}`, ''];
  if (r.indexing) {
    const i = r.indexing;
    lines.push(
      `Indexing throughput (chunks/s, median (min–max) over ${i.chunksPerRound.length} rounds of ~${i.chunksPerRound[0]} chunks)`,
      '',
      '| path | chunks/s | ratio |',
      '|---|---|---|',
      `| end to end (parse, chunk, embed, pool, write) | ${range(i.endToEnd)} | 1.00 |`,
      `| ceiling: ONNX model alone, same batches | ${range(i.ceiling)} | end to end = ${range(i.vsCeiling, '×')} of it |`,
      `| naive: one pipeline() call per chunk | ${range(i.naive)} | end to end = ${range(i.vsNaive, '×')} of it |`,
      '',
      `Model alone by batch size (length-sorted batches, first round; EMBEDDING_BATCH_SIZE is ${i.batchSize})`,
      '',
      `| batch size | ${i.batching.map((b: { batchSize: number }) => b.batchSize).join(' | ')} |`,
      `|---|${i.batching.map(() => '---').join('|')}|`,
      `| chunks/s | ${i.batching.map((b: { chunksPerSecond: number }) => b.chunksPerSecond).join(' | ')} |`,
      '',
    );
  }
  lines.push(
    'Answer latency (ms; question in → answer object out)',
    '',
    '| chunks | p50 | p95 | embed p50 | dense p50 | lexical p50 | quotes p50 |',
    '|---|---|---|---|---|---|---|',
  );
  for (const l of r.latency) lines.push(`| ${l.chunks} | ${l.p50} | ${l.p95} | ${l.split.embed} | ${l.split.dense} | ${l.split.lexical} | ${l.split.quotes} |`);
  lines.push(
    '',
    `- Cold start (process start → first answer, ${r.coldStart.chunks} chunks): ${range(r.coldStart.seconds, ' s')}`,
    `- Memory with ${r.memory.chunks} chunks loaded: RSS ${range(r.memory.rssMiB, ' MiB')} (JS heap ${range(r.memory.heapMiB, ' MiB')}); index on disk ${r.memory.diskMiB} MiB`,
    `- Incremental: +1 article (${r.incremental.addedArticles} embedded) on a ${r.incremental.indexChunks}-chunk index: ${r.incremental.seconds} s`,
  );
  return lines.join('\n');
}
