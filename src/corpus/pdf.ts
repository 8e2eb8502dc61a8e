// PDF press releases and treaty texts: text in reading order with paragraphs kept (pdf.js through unpdf
// gives each text run with its position; lines and paragraphs follow from those positions), title, date
// and authors from the document's information when present, else from the text as for pasted articles.
import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf';
import type { TextLine } from './markdown.js';
import { ArticleError, parseLines, type KnownMeta, type ParsedArticle } from './text.js';

interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
  hasEOL: boolean;
}

interface Line {
  text: string;
  y: number;
  /** Where the line's last run ends: a line ending well short of the text's right edge ends a paragraph. */
  right: number;
  fontSize: number;
  page: number;
}

export async function parsePdfArticle(bytes: Uint8Array, fileName: string, sourceUrl: string | null = null): Promise<ParsedArticle> {
  let pdf;
  try {
    // pdf.js may take over the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    throw new ArticleError(`is not a readable PDF (${(error as Error).message.split('\n')[0]})`);
  }
  try {
    const { items } = await extractTextItems(pdf);
    const { info } = await getMeta(pdf).catch(() => ({ info: {} as Record<string, unknown> }));
    const lines = items.flatMap((page, p) => pageLines(page as Run[], p));
    if (!lines.some((l) => l.text)) throw new ArticleError('the PDF has no text layer (a scan?): run it through OCR and add the result');
    return parseLines(paragraphs(lines), fileName, documentInfo(info as Record<string, unknown>), sourceUrl);
  } finally {
    await pdf.destroy();
  }
}

/** Runs grouped into lines: a new line where a run ends one or the baseline moves by half a letter. */
function pageLines(runs: Run[], page: number): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let lastEnd = 0;
  for (const run of runs) {
    if (current && Math.abs(run.y - current.y) > Math.max(run.fontSize, current.fontSize) * 0.5) {
      lines.push(current);
      current = null;
    }
    if (run.str) {
      if (!current) current = { text: '', y: run.y, right: 0, fontSize: run.fontSize, page };
      // Runs of one line that do not touch are separate words.
      const gap = run.x - lastEnd > run.fontSize * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(run.str);
      current.text += (current.text && gap ? ' ' : '') + run.str;
      current.fontSize = Math.max(current.fontSize, run.fontSize);
      lastEnd = run.x + run.width;
      current.right = Math.max(current.right, lastEnd);
    }
    if (run.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() })).filter((l) => l.text);
}

/**
 * Lines joined into paragraphs. A new one starts after a line that ends well short of the text's right
 * edge (a paragraph's last line), at a gap clearly wider than the line spacing, at a change of type size
 * (headings) and on a new page (text.ts joins a sentence split there); a word hyphenated across lines
 * is joined again.
 */
function paragraphs(lines: Line[]): TextLine[] {
  const sizes = lines.map((l) => l.fontSize).sort((a, b) => a - b);
  const bodySize = sizes[Math.floor(sizes.length / 2)] ?? 0;
  // Line spacing: the smallest gap between body-text lines of a page.
  const gaps = lines.slice(1).map((l, i) => (l.page === lines[i]!.page && l.fontSize === bodySize && lines[i]!.fontSize === bodySize ? lines[i]!.y - l.y : 0)).filter((g) => g > 0);
  // A loop, not Math.min(...gaps): spreading 160k lines as arguments overflows the stack.
  let lineGap = Infinity;
  for (const gap of gaps) if (gap < lineGap) lineGap = gap;
  const rightEdge = new Map<number, number>();
  for (const l of lines) rightEdge.set(l.page, Math.max(rightEdge.get(l.page) ?? 0, l.right));
  const out: TextLine[] = [];
  let previous: Line | null = null;
  for (const line of lines) {
    const heading = line.fontSize > bodySize * 1.15;
    const startsParagraph =
      !previous ||
      previous.page !== line.page ||
      previous.y - line.y > lineGap * 1.4 ||
      previous.right < rightEdge.get(previous.page)! - 3 * previous.fontSize ||
      Math.abs(line.fontSize - previous.fontSize) > bodySize * 0.1;
    const last = out[out.length - 1];
    if (startsParagraph || !last) out.push({ text: line.text, heading, links: [] });
    else if (/\p{L}-$/u.test(last.text) && /^\p{Ll}/u.test(line.text)) last.text = last.text.slice(0, -1) + line.text;
    else last.text += ` ${line.text}`;
    previous = line;
  }
  return out;
}

/** A document title worth showing (not "Microsoft Word - draft3.docx"), its creation date and author. */
function documentInfo(info: Record<string, unknown>): KnownMeta {
  const known: KnownMeta = {};
  const title = typeof info.Title === 'string' ? info.Title.replace(/\s+/g, ' ').trim() : '';
  if (title && !/^(?:untitled|microsoft word\b|document\d*$)|\.(?:docx?|pdf|odt|rtf|indd|pages)$/i.test(title)) known.title = title;
  const date = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(typeof info.CreationDate === 'string' ? info.CreationDate : '');
  if (date) {
    const iso = `${date[1]}-${date[2]}-${date[3]}`;
    if (!Number.isNaN(Date.parse(iso))) known.date = iso;
  }
  if (typeof info.Author === 'string' && info.Author.trim()) known.authors = [info.Author.trim()];
  return known;
}
