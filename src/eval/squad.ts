// Public QA data in the SQuAD shape (SQuAD 1.0 / 2.0, gzipped json): articles of paragraphs with their questions.
// Used as an answer benchmark (SQuAD 2.0 dev: the articles as one corpus, ReQA-style) and to train the answer scorer.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConfigError } from '../config.js';

export interface QaQuestion {
  id: string;
  question: string;
  /** Answer texts; empty for an unanswerable question. */
  answers: string[];
}

export interface QaArticle {
  title: string;
  paragraphs: { context: string; questions: QaQuestion[] }[];
}

interface SquadFile {
  data: { title: string; paragraphs: { context: string; qas: { id?: string; question: string; answers: { text: string }[]; is_impossible?: boolean }[] }[] }[];
}

/** A public QA file's text, gunzipped when its name ends in .gz; `parse` turns it into what the reader needs. */
export async function readQaFile<T>(file: string, what: string, parse: (text: string) => T): Promise<T> {
  try {
    const bytes = await readFile(file);
    return parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the ${what} file ${file}: ${(error as Error).message}`);
  }
}

export async function readSquad(file: string): Promise<QaArticle[]> {
  const parsed = await readQaFile(file, 'SQuAD', (text) => JSON.parse(text) as SquadFile);
  if (!Array.isArray(parsed?.data)) throw new ConfigError(`${file} is not in the SQuAD shape ({"data": [{"title", "paragraphs": [...]}]}).`);
  return parsed.data.map((article, a) => ({
    title: article.title.replace(/_/g, ' '),
    paragraphs: article.paragraphs.map((p, pi) => ({
      context: p.context,
      questions: p.qas.map((q, qi) => ({
        id: q.id ?? `${a}.${pi}.${qi}`,
        question: q.question,
        answers: q.is_impossible ? [] : [...new Set(q.answers.map((x) => x.text.trim()).filter(Boolean))],
      })),
    })),
  }));
}

/** One file per article (its title in front matter, paragraphs separated by blank lines): a corpus the indexer reads. */
export async function writeQaCorpus(articles: QaArticle[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [i, article] of articles.entries()) {
    const slug = article.title.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
    const body = article.paragraphs.map((p) => p.context.replace(/\s+/g, ' ').trim()).join('\n\n');
    await writeFile(
      path.join(dir, `${String(i).padStart(3, '0')}-${slug}.md`),
      `---\ntitle: ${JSON.stringify(article.title)}\npublisher: Wikipedia\n---\n${body}\n`,
    );
  }
}
