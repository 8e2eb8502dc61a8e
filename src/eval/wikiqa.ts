// WikiQA (Yang, Yih and Meek, 2015): real Bing queries, each with the summary sentences of the Wikipedia page a reader
// clicked, labelled 1 where a sentence answers. Its questions were typed by people who had not read the page, as
// readers type theirs, where SQuAD's were written by people looking at the paragraph; a question whose sentences are
// all 0 has no answer there. Read into the SQuAD shape so it is benchmarked the same way: each page one article, its
// questions' answers their answering sentences. Microsoft Research Data License (research and technology
// development): used to measure, never to train a model that ships.
import { ConfigError } from '../config.js';
import { readQaFile, type QaArticle, type QaQuestion } from './squad.js';

const HEADER = 'QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel';

export async function readWikiQa(file: string): Promise<QaArticle[]> {
  const text = await readQaFile(file, 'WikiQA', (content) => content);
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
  if (header !== HEADER) throw new ConfigError(`${file} is not a WikiQA TSV: its first line must be\n${HEADER}`);
  const pages = new Map<string, { title: string; sentences: Map<string, string>; questions: Map<string, QaQuestion> }>();
  for (const line of lines) {
    // Tab-separated with no quoting: a sentence may hold quotation marks.
    const [qid, question, docId, title, sentenceId, sentence, label] = line.split('\t');
    if (!qid || !question || !docId || !title || !sentenceId || !sentence || (label !== '0' && label !== '1'))
      throw new ConfigError(`${file}: a row without its 7 fields: ${line.slice(0, 80)}`);
    const page = pages.get(docId) ?? { title, sentences: new Map(), questions: new Map() };
    pages.set(docId, page);
    page.sentences.set(sentenceId, sentence.trim());
    const asked = page.questions.get(qid) ?? { id: qid, question, answers: [] };
    page.questions.set(qid, asked);
    if (label === '1') asked.answers.push(sentence.trim());
  }
  return [...pages.values()].map((page) => ({
    title: page.title,
    paragraphs: [{ context: [...page.sentences.values()].join(' '), questions: [...page.questions.values()] }],
  }));
}
