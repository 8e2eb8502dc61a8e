// npm run train:features -- [--out .data/train/features.jsonl] [--models a,b,c] [--group 30] [--per-article 60] [--max-articles 400]
// Training data for the answer scorer, from public QA data only (../shared/qa: SQuAD 1.0 train, the SQuAD 2.0 train
// slice; never squad2-dev, never the story's questions). Articles are grouped into corpora of about the size of a
// real story; each corpus is indexed with one of the local models (in turn, so the scorer learns signals that hold for
// every model) and each question goes through the real retrieval; every candidate sentence becomes a row with the
// features the product computes (src/answer/features.ts) and label 1 when it holds an answer text. Questions the
// articles don't answer are rows too (every label 0): questions from other corpora; questions asked without the
// passages that answer them; questions rewritten so that their passage no longer answers them (a name or number
// swapped for one from another article, a negation added, a word of the passage turned into its antonym: three of
// the ways SQuAD 2.0's writers made theirs); and
// SQuAD 2.0's own unanswerable questions. The SQuAD 2.0 slice is the only source of real unanswerable questions, so
// all of its articles are validation: they measure whether the rewritten questions teach the real thing. The other
// articles are split train / validation by a hash of their title, so no article is in both. Validation also asks some
// questions as typed in chat, to measure how the scorer holds on them. Each row carries the question and sentence
// texts too, for the neural pair model of the second look (train_pair.py). WikiQA's real search queries come last, in
// splits of their own ("wikiqa-train", "wikiqa-dev"): measured with, trained on only as an experiment.
import '../../src/env-file.js';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gatherCandidates } from '../../src/answer/ask.js';
import { candidateFeatures, NEGATION, wordsInCompounds } from '../../src/answer/features.js';
import { openEngine } from '../../src/app.js';
import { loadCoreConfig } from '../../src/config.js';
import { loadEmbedder } from '../../src/embed/embedder.js';
import { readSquad, writeQaCorpus, type QaArticle, type QaQuestion } from '../../src/eval/squad.js';
import { buildIndex } from '../../src/indexing/build.js';
import { readWikiQa } from '../../src/eval/wikiqa.js';
import { analyseQuestion } from '../../src/question/analyse.js';
import { thesaurus } from '../../src/retrieve/thesaurus.js';
import type { LoadedIndex } from '../../src/store/types.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.data/train/features.jsonl' },
    models: { type: 'string', default: 'Local/use-static-bert-uncased,Local/glove-6b-100d-sif,Local/use-lite-tokens' },
    group: { type: 'string', default: '30' },
    'per-article': { type: 'string', default: '60' },
    'max-articles': { type: 'string', default: '400' },
    'max-negatives': { type: 'string', default: '40' },
    qa: { type: 'string', default: '../shared/qa' },
  },
});
const GROUP = Number(values.group);
const PER_ARTICLE = Number(values['per-article']);
const MAX_NEGATIVES = Number(values['max-negatives']);
/** Questions from other corpora asked of each corpus, per article: the articles don't say. */
const FOREIGN_PER_ARTICLE = 4;
/** The share of a corpus's own questions also asked without the passages that answer them. */
const NEAR_MISS_SHARE = 0.25;
/** The share of its own questions also asked with a name or number swapped. */
const SWAPPED_SHARE = 0.15;
/** The share also asked with a word its passage uses turned into its opposite ("largest" → small), SQuAD 2.0's third way. */
const ANTONYM_SHARE = 0.15;
/**
 * The share of a validation corpus's own questions also asked as people type in chat (lower case, no question mark,
 * a typo): how the scorer holds on them. Not trained on: the same copies in training measured no better there.
 */
const CHAT_SHARE = 0.25;
/** WikiQA pages per corpus: its pages are summaries of about ten sentences, so 100 are about a story's text. */
const WIKIQA_GROUP = 100;
/** Names (capitalised runs after the first word) and numbers: what a swap takes out of a question and puts in. */
const NAME_OR_NUMBER = /(?<=\S\s+)(\p{Lu}[\p{L}\p{M}'’-]+(?:\s+(?:of\s+|the\s+)?\p{Lu}[\p{L}\p{M}'’-]+)*|\d[\d,.]*\d|\d)/gu;
const models = values.models!.split(',');

const squad2 = await readSquad(path.join(values.qa!, 'squad2-train-partial/train-v2.0-first10articles.json.gz'));
const squad2Titles = new Set(squad2.map((a) => a.title));
const squad1 = (await readSquad(path.join(values.qa!, 'squad1-train/train-v1.0.explorer.json.gz'))).filter((a) => !squad2Titles.has(a.title));
const articles = [...squad2, ...shuffled(squad1).slice(0, Number(values['max-articles']))];
const splitOf = (title: string) => (squad2Titles.has(title) || hash(`split:${title}`) % 100 < 20 ? 'val' : 'train');

// Corpora of GROUP articles, each split on its own so a corpus never mixes train and validation articles.
const groups: { split: string; articles: QaArticle[] }[] = [];
for (const split of ['train', 'val']) {
  const mine = shuffled(articles.filter((a) => splitOf(a.title) === split));
  for (let i = 0; i < mine.length; i += GROUP) groups.push({ split, articles: mine.slice(i, i + GROUP) });
}

await mkdir(path.dirname(values.out!), { recursive: true });
const out = createWriteStream(values.out!);
const work = path.join(os.tmpdir(), `story-desk-train-${process.pid}`);
let rows = 0;
for (const [g, group] of groups.entries()) {
  const model = models[g % models.length]!;
  const dir = path.join(work, String(g));
  const engine = await indexedCorpus(group.articles, model, dir);
  const contextOf = new Map(group.articles.flatMap((a) => a.paragraphs.flatMap((p) => p.questions.map((q) => [q.id, p.context] as const))));
  const own = group.articles.flatMap((a) =>
    pick(
      a.paragraphs.flatMap((p) => p.questions.filter((q) => q.answers.length)),
      PER_ARTICLE,
      a.title,
    ),
  );
  const impossible = group.articles.flatMap((a) => a.paragraphs.flatMap((p) => p.questions.filter((q) => !q.answers.length)));
  const otherQuestions = groups
    .filter((o, i) => i !== g && o.split === group.split)
    .flatMap((o) => o.articles.flatMap((a) => a.paragraphs.flatMap((p) => p.questions)));
  const foreign = pick(otherQuestions, FOREIGN_PER_ARTICLE * group.articles.length, `foreign:${g}`).map((q) => ({ ...q, answers: [] }));
  // Near misses: some of the corpus's own questions asked as if the passages holding their answer were not there.
  // The rest of the article is about the same thing and does not say: the hardest "the articles don't say".
  const nearMisses = pick(own, Math.round(NEAR_MISS_SHARE * own.length), `near:${g}`);
  const donors = namesAndNumbers(otherQuestions.map((q) => q.question));
  const swapped = pick(own, Math.round(SWAPPED_SHARE * own.length), `swap:${g}`).flatMap((q) => {
    const question = swapOne(q.question, donors, q.id);
    return question ? [{ ...q, id: `${q.id}:swap`, question, answers: [] }] : [];
  });
  const chat = pick(own, group.split === 'val' ? Math.round(CHAT_SHARE * own.length) : 0, `chat:${g}`).map((q) => ({
    ...q,
    id: `${q.id}:chat`,
    question: chatStyle(q.question, q.id),
  }));
  // As many negations added as the corpus's own questions hold already (answerable): so a negated question is as
  // likely answered as not, and the scorer must read whether the sentence negates too ("not aimed at any country").
  const alreadyNegated = own.filter((q) => NEGATION.test(q.question)).length;
  const negated = pick(
    own.filter((q) => !NEGATION.test(q.question)),
    alreadyNegated,
    `neg:${g}`,
  ).flatMap((q) => {
    const question = negate(q.question);
    return question ? [{ ...q, id: `${q.id}:neg`, question, answers: [] }] : [];
  });
  const opposed = pick(own, Math.round(ANTONYM_SHARE * own.length), `ant:${g}`).flatMap((q) => {
    const question = oppose(q.question, contextOf.get(q.id) ?? '', q.id);
    return question ? [{ ...q, id: `${q.id}:ant`, question, answers: [] }] : [];
  });
  for (const [kind, questions] of [
    ['own', own],
    ['chat', chat],
    ['foreign', foreign],
    ['near-miss', nearMisses],
    ['swapped', swapped],
    ['negated', negated],
    ['antonym', opposed],
    ['impossible', impossible],
  ] as const) {
    for (const q of questions) {
      const index = engine.index();
      const analysed = analyseQuestion(q.question, 500, index);
      const without = kind === 'near-miss' ? (chunk: number) => chunkHoldsAnswer(index, chunk, q) : undefined;
      const gathered = await gatherCandidates(engine, analysed, 'hybrid', undefined, without);
      const candidates = candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks);
      const answerable = kind === 'own' || kind === 'chat';
      const labelled = candidates.map((c) => ({ c, y: answerable && holdsAnswer(index, c, q) ? 1 : 0 }));
      // Validation keeps every candidate (it measures choosing among them); training keeps the positives and a
      // sample of the negatives, so one long candidate list does not outweigh the rest.
      const kept =
        group.split === 'val'
          ? labelled
          : [
              ...labelled.filter((l) => l.y),
              ...pick(
                labelled.filter((l) => !l.y),
                MAX_NEGATIVES,
                q.id,
              ),
            ];
      for (const { c, y } of kept)
        writeRow({ split: group.split, group: g, model, kind, qid: kind === 'near-miss' ? `${q.id}:near` : q.id, answerable, y }, index, c, q.question);
    }
  }
  console.error(
    `group ${g + 1}/${groups.length} (${group.split}, ${model}): ${own.length} own + ${chat.length} chat + ${foreign.length} foreign + ${nearMisses.length} near-miss + ${swapped.length} swapped + ${negated.length} negated + ${opposed.length} antonym + ${impossible.length} impossible questions, ${rows} rows so far`,
  );
  await rm(dir, { recursive: true, force: true });
}

// WikiQA (real search queries, typed without the page; research-use licence): rows of their own splits, never mixed
// with SQuAD's. The trainer reports its dev split as a second validation, of questions asked as readers ask, and
// trains on its train split only when told to (an experiment: a model trained on it may not ship).
for (const split of ['train', 'dev'] as const) {
  const pages = shuffled(await readWikiQa(path.join(values.qa!, `wikiqa/WikiQA-${split}.tsv.gz`)));
  for (let i = 0; i < pages.length; i += WIKIQA_GROUP) {
    const corpus = pages.slice(i, i + WIKIQA_GROUP);
    // Dev is asked with every model, for figures per model; train with one in turn, as SQuAD's corpora are.
    for (const model of split === 'dev' ? models : [models[(i / WIKIQA_GROUP) % models.length]!]) {
      const g = groups.length + (split === 'dev' ? 100_000 : 0) + i + models.indexOf(model);
      const dir = path.join(work, `wikiqa-${g}`);
      const engine = await indexedCorpus(corpus, model, dir);
      const index = engine.index();
      for (const q of corpus.flatMap((a) => a.paragraphs[0]!.questions)) {
        const analysed = analyseQuestion(q.question, 500, index);
        const gathered = await gatherCandidates(engine, analysed, 'hybrid');
        const candidates = candidateFeatures(index, gathered.candidates, analysed, gathered.queryVector, gathered.ranks);
        const answerable = q.answers.length > 0;
        for (const c of candidates) {
          const y = answerable && answeredBySentence(index, c, q) ? 1 : 0;
          writeRow({ split: `wikiqa-${split}`, group: g, model, kind: 'wikiqa', qid: q.id, answerable, y }, index, c, q.question);
        }
      }
      console.error(`wikiqa ${split} corpus ${i / WIKIQA_GROUP + 1} (${model}): ${corpus.length} pages, ${rows} rows so far`);
      await rm(dir, { recursive: true, force: true });
    }
  }
}
out.end();
await rm(work, { recursive: true, force: true });

function namesAndNumbers(questions: string[]): { names: string[]; numbers: string[] } {
  const found = new Set(questions.flatMap((q) => [...q.matchAll(NAME_OR_NUMBER)].map((m) => m[0])));
  return { names: [...found].filter((x) => !/^\d/.test(x)).sort(), numbers: [...found].filter((x) => /^\d/.test(x)).sort() };
}
/** The question with one of its names or numbers replaced by another article's: its passage no longer answers it. */
function swapOne(question: string, donors: { names: string[]; numbers: string[] }, seed: string): string | null {
  const spots = [...question.matchAll(NAME_OR_NUMBER)];
  if (!spots.length) return null;
  const spot = spots[hash(`spot:${seed}`) % spots.length]!;
  const pool = /^\d/.test(spot[0]) ? donors.numbers : donors.names;
  const others = pool.filter((x) => x.toLowerCase() !== spot[0].toLowerCase() && !question.includes(x));
  if (!others.length) return null;
  const donor = others[hash(`donor:${seed}`) % others.length]!;
  return question.slice(0, spot.index) + donor + question.slice(spot.index! + spot[0].length);
}
/** As typed in chat: lower case, no question mark, "what is" run together, and in half of them one word mistyped. */
function chatStyle(question: string, seed: string): string {
  let text = question
    .toLowerCase()
    .replace(/[?]+\s*$/, '')
    .replace(/\b(what|who|where|when|how|that) is\b/g, '$1s')
    .replace(/'/g, '');
  const words = [...text.matchAll(/\p{L}{5,}/gu)];
  if (words.length && hash(`typo:${seed}`) % 2 === 0) {
    const word = words[hash(`word:${seed}`) % words.length]!;
    const at = 1 + (hash(`at:${seed}`) % (word[0].length - 2));
    const w = word[0];
    // A letter dropped or two swapped: the commonest typing slips.
    const typo = hash(`kind:${seed}`) % 2 ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
    text = text.slice(0, word.index) + typo + text.slice(word.index! + w.length);
  }
  return text;
}
/** "What did the Normans conquer?" → "What did not the Normans conquer?": bag-of-words alike, the answer gone. */
function negate(question: string): string | null {
  if (NEGATION.test(question)) return null;
  const aux = /\b(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|might|must)\b/i.exec(question);
  if (!aux) return null;
  const at = aux.index + aux[0].length;
  return `${question.slice(0, at)} not${question.slice(at)}`;
}
/**
 * "What is the largest city?" → "What is the small city?": a word of the question that its passage uses, turned into
 * a WordNet antonym, so the passage now says the opposite. Only words the passage holds: an opposite the passage
 * never mentions could still be answered there ("Who won?" → "Who lost?" of "X defeated Y"); never a word of a
 * name ("South Korea" → "North Korea" is a swapped name, and the features read no opposite in names).
 */
function oppose(question: string, passage: string, seed: string): string | null {
  const compounds = wordsInCompounds(question);
  const spots = [...question.matchAll(/\p{L}{3,}/gu)].filter((m) => {
    const word = m[0].toLowerCase();
    return !compounds.has(word) && new RegExp(`\\b${word}\\b`, 'i').test(passage) && thesaurus().antonyms(word).length > 0;
  });
  if (!spots.length) return null;
  const spot = spots[hash(`ant-spot:${seed}`) % spots.length]!;
  const opposites = thesaurus().antonyms(spot[0]);
  const opposite = opposites[hash(`ant-word:${seed}`) % opposites.length]!;
  return question.slice(0, spot.index) + opposite + question.slice(spot.index! + spot[0].length);
}
/** A corpus of `articles` written to `dir`, indexed with `model` and opened: what each group's questions are asked of. */
async function indexedCorpus(articles: QaArticle[], model: string, dir: string) {
  const config = loadCoreConfig({ ...process.env, EMBEDDING_MODEL: model, CORPUS_DIR: path.join(dir, 'corpus'), INDEX_DIR: path.join(dir, 'index') });
  await writeQaCorpus(articles, config.corpusDir);
  const embedder = await loadEmbedder(config.embedding);
  await buildIndex(config, embedder);
  return openEngine(config, embedder);
}
/** One candidate sentence as a row: where it comes from, its label, its features, and the texts for the pair model. */
function writeRow(
  row: { split: string; group: number; model: string; kind: string; qid: string; answerable: boolean; y: number },
  index: LoadedIndex,
  c: { article: number; sentence: number; features: ArrayLike<number> },
  question: string,
): void {
  const f = Array.from(c.features, (v) => Math.round(v * 1e5) / 1e5);
  out.write(`${JSON.stringify({ ...row, f, q: question, s: sentenceText(index, c) })}\n`);
  rows++;
}
/** A WikiQA answer is a whole sentence, which the product's splitter may cut in two: either half answers. */
function answeredBySentence(index: LoadedIndex, c: { article: number; sentence: number }, q: QaQuestion): boolean {
  const sentence = comparable(sentenceText(index, c));
  return holdsAnswer(index, c, q) || (sentence.length >= 20 && q.answers.some((a) => comparable(a).includes(sentence)));
}
function chunkHoldsAnswer(index: LoadedIndex, chunk: number, q: QaQuestion): boolean {
  const c = index.chunks[chunk]!;
  const article = index.articles[c.article]!;
  const from = article.sentences[c.firstSentence]!.start;
  const to = article.sentences[c.endSentence - 1]!.end;
  const text = comparable(article.text.slice(from, to));
  return q.answers.some((a) => text.includes(comparable(a)));
}
function holdsAnswer(index: LoadedIndex, c: { article: number; sentence: number }, q: QaQuestion): boolean {
  const article = index.articles[c.article]!;
  const span = article.sentences[c.sentence]!;
  const text = comparable(article.text.slice(span.start, span.end));
  return q.answers.some((a) => text.includes(comparable(a)));
}
function sentenceText(index: LoadedIndex, c: { article: number; sentence: number }): string {
  const article = index.articles[c.article]!;
  const span = article.sentences[c.sentence]!;
  return article.text.slice(span.start, span.end);
}
function comparable(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase().trim();
}
function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
/** A deterministic sample of n items. */
function pick<T>(items: T[], n: number, seed: string): T[] {
  return items
    .map((item, i) => ({ item, key: hash(`${seed}:${i}`) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, n)
    .map((x) => x.item);
}
function shuffled<T extends { title: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => hash(a.title) - hash(b.title));
}
