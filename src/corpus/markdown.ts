// Markdown (and pasted plain text, which is read the same way) through a real parser (mdast): what we
// index and quote is what a reader sees, with no heading marks, link targets, images, HTML or comments.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Parent, PhrasingContent, RootContent } from 'mdast';

/** One line as a reader sees it, and what it was in the source. */
export interface TextLine {
  text: string;
  heading: boolean;
  /** Link targets on the line (a "Source: [BBC](https://…)" line names its address this way). */
  links: string[];
}

/**
 * The document's lines in reading order. A paragraph's soft line breaks stay line ends: in pasted text
 * a single break usually separates paragraphs (the caller joins lines that continue a sentence).
 */
export function markdownLines(source: string): TextLine[] {
  const tree = fromMarkdown(boundedParagraphs(source), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const lines: TextLine[] = [];
  const visitBlock = (node: RootContent): void => {
    switch (node.type) {
      case 'heading':
        pushLines(lines, node.children, true);
        return;
      case 'paragraph':
        pushLines(lines, node.children, false);
        return;
      case 'code':
        for (const line of node.value.split('\n')) lines.push({ text: line, heading: false, links: [] });
        return;
      case 'table':
        for (const row of node.children) {
          const cells = row.children.map((cell) => inlineText(cell.children, []).replace(/\s+/g, ' ').trim()).filter(Boolean);
          if (cells.length) lines.push({ text: cells.join(' | '), heading: false, links: [] });
        }
        return;
      // Comments and raw HTML, link definitions and rules are never text a reader sees.
      case 'html':
      case 'definition':
      case 'thematicBreak':
      case 'yaml':
        return;
      default:
        if ('children' in node) (node as Parent).children.forEach((child) => visitBlock(child as RootContent));
    }
  };
  tree.children.forEach(visitBlock);
  return lines;
}

/** micromark merges a paragraph's text with a splice per run: its time grows with the square of the paragraph (1 MB 4 s, 2 MB 20 s). */
const MAX_PARAGRAPH_CHARS = 16_000;

/**
 * The source with a blank line wherever a paragraph would run past MAX_PARAGRAPH_CHARS: between its lines (each
 * line is a line of its own in what we read anyway), or inside an over-long line at a space (the caller joins
 * lines that continue a sentence). Articles never come near it; a paste with no blank line in megabytes does.
 */
function boundedParagraphs(source: string): string {
  if (source.length <= MAX_PARAGRAPH_CHARS) return source;
  const out: string[] = [];
  let run = 0;
  for (const line of source.split('\n')) {
    if (!line.trim()) run = 0;
    else if (run + line.length > MAX_PARAGRAPH_CHARS && run > 0) {
      out.push('');
      run = 0;
    }
    let from = 0;
    while (line.length - from > MAX_PARAGRAPH_CHARS) {
      const space = line.lastIndexOf(' ', from + MAX_PARAGRAPH_CHARS);
      const cut = space > from ? space : from + MAX_PARAGRAPH_CHARS;
      out.push(line.slice(from, cut), '');
      from = cut + (space > from ? 1 : 0);
    }
    out.push(line.slice(from));
    run += line.length - from + 1;
  }
  return out.join('\n');
}

function pushLines(lines: TextLine[], children: PhrasingContent[], heading: boolean): void {
  const links: string[] = [];
  const text = inlineText(children, links);
  for (const line of text.split('\n')) lines.push({ text: line.replace(/\s+/g, ' ').trim(), heading, links });
}

/** Inline content as text: emphasis, code and link text kept; images, HTML and footnote marks dropped. */
function inlineText(nodes: Nodes[], links: string[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
        out += node.value;
        break;
      case 'break':
        out += '\n';
        break;
      case 'link':
        if (/^https?:/i.test(node.url)) links.push(node.url);
        out += inlineText(node.children, links);
        break;
      case 'image':
      case 'imageReference':
      case 'html':
      case 'footnoteReference':
        break;
      default:
        if ('children' in node) out += inlineText((node as Parent).children as Nodes[], links);
    }
  }
  return out;
}
