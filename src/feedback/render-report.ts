// The report for people: plain text for the terminal, and Discord messages (each within 2,000 characters).
import { CONTENT_LIMIT, escapeDiscord } from '../render/discord.js';
import type { Report, ReportCounts } from './report.js';

const MAX_EXAMPLE_CHARS = 140;

function short(text: string, max = MAX_EXAMPLE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '–';
}

function period(report: Report): string {
  return `${report.since.slice(0, 16).replace('T', ' ')} – ${report.until.slice(0, 16).replace('T', ' ')} UTC`;
}

function countsRow(c: ReportCounts): string[] {
  return [String(c.questions), String(c.answered), String(c.lowConfidence), String(c.declined)];
}

/** A table with right-aligned numbers, for the terminal and for Discord code blocks. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function renderReportText(report: Report, options: { maxGroups?: number } = {}): string {
  const t = report.totals;
  const out: string[] = [
    `Story Desk report, ${period(report)}`,
    '',
    `${t.questions} questions: ${t.answered} answered, ${t.lowConfidence} with low confidence, ${t.declined} declined (${percent(t.declined, t.questions)}), ${t.empty} empty.`,
    `Votes: ${t.helpfulVotes} helpful, ${t.notHelpfulVotes} not helpful.`,
    '',
    'What readers asked that the articles do not cover (similar questions grouped):',
  ];
  const groups = report.gaps.slice(0, options.maxGroups ?? 20);
  if (!groups.length) out.push('  (none)');
  groups.forEach((g, i) => {
    out.push(`  ${String(i + 1).padStart(2)}. ${g.count} × "${short(g.examples[0]!)}"`);
    for (const other of g.examples.slice(1)) out.push(`        also: "${short(other)}"`);
  });
  if (report.gaps.length > groups.length) out.push(`  …and ${report.gaps.length - groups.length} more groups (--json lists them all).`);
  if (report.gapsWithoutText) out.push(`  ${report.gapsWithoutText} more declined questions were not stored as text (STORE_QUESTION_TEXT=false).`);
  if (report.gapsNotGrouped) out.push(`  ${report.gapsNotGrouped} older declined questions were not grouped (only the most recent are).`);
  out.push('', 'Answers voted not helpful:');
  if (!report.notHelpful.length) out.push('  (none)');
  for (const n of report.notHelpful.slice(0, 20)) {
    const asked = n.question ? `"${short(n.readAs ?? n.question)}"` : '(question not stored)';
    out.push(`  ${n.notHelpful} 👎 ${n.helpful} 👍  ${asked} — quoted ${n.articles.join(', ') || 'nothing'}`);
  }
  out.push(
    '',
    'Per day:',
    ...table(
      ['day', 'questions', 'answered', 'low', 'declined'],
      report.perDay.map((d) => [d.day, ...countsRow(d)]),
    ).map((l) => `  ${l}`),
  );
  out.push(
    '',
    'Per way of asking:',
    ...table(
      ['via', 'questions', 'answered', 'low', 'declined'],
      report.perVia.map((v) => [v.via, ...countsRow(v)]),
    ).map((l) => `  ${l}`),
  );
  if (report.malformedRows) out.push('', `${report.malformedRows} rows of the database were skipped: they do not read as a stored question.`);
  return out.join('\n');
}

/** The report as Discord messages: sections never split mid-line, each message within the content limit. */
export function renderReportDiscord(report: Report, options: { maxGroups?: number; maxMessages?: number } = {}): string[] {
  const t = report.totals;
  const sections: string[][] = [];
  sections.push([
    `**Story Desk report** · ${period(report)}`,
    `${t.questions} questions: ${t.answered} answered, ${t.lowConfidence} low confidence, ${t.declined} declined (${percent(t.declined, t.questions)}) · votes ${t.helpfulVotes} 👍 ${t.notHelpfulVotes} 👎`,
  ]);
  const gaps = ['**Not covered by the articles** (similar questions grouped)'];
  const groups = report.gaps.slice(0, options.maxGroups ?? 15);
  if (!groups.length) gaps.push('None: every question found something to quote.');
  groups.forEach((g, i) => {
    const also =
      g.examples.length > 1
        ? ` (also: ${g.examples
            .slice(1)
            .map((e) => `“${escapeDiscord(short(e, 80))}”`)
            .join(', ')})`
        : '';
    gaps.push(`${i + 1}. **${g.count}×** “${escapeDiscord(short(g.examples[0]!))}”${also}`);
  });
  if (report.gaps.length > groups.length) gaps.push(`…and ${report.gaps.length - groups.length} more groups (\`npm run report -- --json\` lists them all).`);
  if (report.gapsWithoutText) gaps.push(`${report.gapsWithoutText} more declined questions were not stored as text.`);
  if (report.gapsNotGrouped) gaps.push(`${report.gapsNotGrouped} older declined questions were not grouped.`);
  if (report.malformedRows) gaps.push(`${report.malformedRows} unreadable rows of the database were skipped.`);
  sections.push(gaps);
  const unhelpful = ['**Voted not helpful**'];
  if (!report.notHelpful.length) unhelpful.push('None.');
  for (const n of report.notHelpful.slice(0, 10)) {
    const asked = n.question ? `“${escapeDiscord(short(n.readAs ?? n.question, 120))}”` : '(question not stored)';
    unhelpful.push(`• ${n.notHelpful}👎 ${n.helpful}👍 ${asked}`);
  }
  sections.push(unhelpful);
  const days = table(
    ['day', 'asked', 'answered', 'low', 'declined'],
    report.perDay.slice(-14).map((d) => [d.day, ...countsRow(d)]),
  );
  const vias = table(
    ['via', 'asked', 'answered', 'low', 'declined'],
    report.perVia.map((v) => [v.via, ...countsRow(v)]),
  );
  sections.push(['**Per day**', '```', ...days, '```'], ['**Per way of asking**', '```', ...vias, '```']);

  const messages: string[] = [];
  let current = '';
  for (const section of sections) {
    for (const line of fitLines(section)) {
      const next = current ? `${current}\n${line}` : line;
      if (next.length > CONTENT_LIMIT - 4) {
        messages.push(closeCodeBlock(current));
        current = reopenCodeBlock(current, line);
      } else current = next;
    }
    current += '\n';
  }
  if (current.trim()) messages.push(closeCodeBlock(current.trimEnd()));
  return messages.slice(0, options.maxMessages ?? 5);
}

/** A single line longer than a message is cut (only a pathological example could be). */
function fitLines(lines: string[]): string[] {
  return lines.map((l) => (l.length > CONTENT_LIMIT - 10 ? `${l.slice(0, CONTENT_LIMIT - 11)}…` : l));
}

/** A message that ends inside a code block closes it; the next one reopens it. */
function closeCodeBlock(text: string): string {
  return (text.match(/```/g)?.length ?? 0) % 2 ? `${text}\n\`\`\`` : text;
}

function reopenCodeBlock(previous: string, line: string): string {
  return (previous.match(/```/g)?.length ?? 0) % 2 && line !== '```' ? `\`\`\`\n${line}` : line;
}
