// The answer as plain text for a terminal: the question and the articles' words with no escape sequence left in.
import type { Answer, SourceRef } from '../answer/types.js';
import { terminalSafe } from './terminal-safe.js';
import { citationMarks, LOW_CONFIDENCE } from './words.js';

export function renderAnswerText(answer: Answer): string {
  return terminalSafe(answerLines(answer).join('\n'));
}

function answerLines(answer: Answer): string[] {
  const lines = [`Q: ${answer.question}`, ...(answer.readAs ? [`Read as: ${answer.readAs}`] : []), ''];
  if (answer.answered && answer.lowConfidence) lines.push(LOW_CONFIDENCE, '');
  if (!answer.answered) {
    lines.push(answer.message ?? "The articles don't say.");
    if (answer.suggestions.length) lines.push('', 'The articles cover:', ...answer.suggestions.map((t) => `  - ${t}`));
    return lines;
  }
  for (const excerpt of answer.excerpts) {
    // A quote that reads on into the next paragraph shows as one passage, as in Discord.
    const quote = `${excerpt.trimmedStart ? '…' : ''}${excerpt.quote.replace(/\s*\n\s*/g, ' ')}${excerpt.trimmedEnd ? '…' : ''}`;
    lines.push(`  “${quote}” ${citationMarks(excerpt)}`, '');
  }
  lines.push('Sources:');
  for (const source of answer.sources) lines.push(`  [${source.n}] ${describeSource(source)}`, ...(source.url ? [`      ${source.url}`] : []));
  return lines;
}

/** "Title — Publisher, 2024-06-19" with whatever parts are known. */
export function describeSource(source: Pick<SourceRef, 'title' | 'publisher' | 'date'>): string {
  const details = [source.publisher, source.date].filter(Boolean).join(', ');
  return details ? `${source.title} — ${details}` : source.title;
}

/** The machine form printed by `ask --json`: one object per question. */
export function answerJson(answer: Answer): object {
  return {
    question: answer.question,
    answered: answer.answered,
    status: answer.status,
    message: answer.message,
    confidence: answer.confidence,
    lowConfidence: answer.lowConfidence,
    readAs: answer.readAs,
    excerpts: answer.excerpts.map(({ quote, source, alsoIn, score, start, end }) => ({
      quote,
      source,
      ...(alsoIn.length ? { alsoIn } : {}),
      score,
      start,
      end,
    })),
    sources: answer.sources,
    timings: Object.fromEntries(Object.entries(answer.timings).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}
