// A small PDF made in the test with pdf-lib: a title in large type, paragraphs of body text wrapped over
// several lines, a second page, and document information (title, author, creation date).
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface PdfSpec {
  title?: string;
  author?: string;
  created?: Date;
  heading: string;
  /** Pages of paragraphs. */
  pages: string[][];
}

export async function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  // Without any information given, none is written (pdf-lib would otherwise stamp today's date).
  const doc = await PDFDocument.create({ updateMetadata: !!(spec.title || spec.author || spec.created) });
  if (spec.title) doc.setTitle(spec.title);
  if (spec.author) doc.setAuthor(spec.author);
  if (spec.created) doc.setCreationDate(spec.created);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  spec.pages.forEach((paragraphs, p) => {
    const page = doc.addPage([595, 842]);
    let y = 780;
    if (p === 0) {
      page.drawText(spec.heading, { x: 50, y, size: 18, font: bold });
      y -= 40;
    }
    for (const paragraph of paragraphs) {
      for (const line of wrap(paragraph, font, 11, 495)) {
        page.drawText(line, { x: 50, y, size: 11, font });
        y -= 15;
      }
      y -= 12;
    }
  });
  return doc.save();
}

function wrap(text: string, font: { widthOfTextAtSize(t: string, s: number): number }, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
