import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus, CorpusError } from '../src/corpus/load.js';
import { parseArticle, ArticleError } from '../src/corpus/parse.js';

/** An article file made from text, parsed as the index would. */
const parse = (raw: string, name: string) => parseArticle({ name, bytes: Buffer.from(raw) });
import { parseDate } from '../src/corpus/dates.js';
import { CORPUS, SEED_MOSCOW_TIMES, SEED_PACT, tempDir } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('seed articles', () => {
  it('extracts the exact metadata of both seeds', async () => {
    const { articles, warnings } = await loadCorpus(CORPUS);
    expect(warnings).toEqual([]);
    const byFile = Object.fromEntries(articles.map((a) => [a.file, a]));
    expect(byFile[SEED_PACT]!.meta).toEqual({
      title: 'Putin and Kim sign defence pact amid growing western tension',
      publisher: null,
      date: '2024-06-19',
      url: null,
      authors: [],
    });
    expect(byFile[SEED_MOSCOW_TIMES]!.meta).toEqual({
      title: 'Russia, North Korea Sign Mutual Defense Deal as Kim Pledges Support for Ukraine Invasion',
      publisher: 'themoscowtimes.com',
      date: '2024-06-19',
      url: 'https://www.themoscowtimes.com/2024/06/19/russia-north-korea-sign-mutual-defense-deal-as-kim-pledges-support-for-ukraine-invasion-a85461',
      authors: ['Cat Barton', 'Claire Lee'],
    });
  });

  it('cleans the text: metadata lines gone, markdown stripped, a split sentence joined', async () => {
    const { articles } = await loadCorpus(CORPUS);
    const mt = articles.find((a) => a.file === SEED_MOSCOW_TIMES)!.text;
    expect(mt.startsWith('Kim Jong Un and Vladimir Putin. Vladimir Smirnov, TASS / kremlin.ru\n\nRussian President')).toBe(true);
    expect(mt).toContain("allies since North Korea's founding after World War II and have drawn even closer since Russia's invasion");
    expect(mt).toContain('\n\nRed carpet\n\n');
    expect(mt).not.toMatch(/[*#[\]<>]|Original url|June 19, 2024|Cat Barton|https:/);
    const pact = articles.find((a) => a.file === SEED_PACT)!.text;
    expect(pact.startsWith('Russia and North Korea have signed a treaty')).toBe(true);
    expect(pact).not.toContain('17:07');
    // The dash that opens a quoted statement is a list marker in markdown terms: removed.
    expect(pact).toContain('\n\nThe comprehensive strategic partnership agreement signed today includes');
    expect(pact).toContain('210,000 cubic centimetres');
  });
});

describe('metadata from pasted articles', () => {
  it('front matter wins over what the text carries', async () => {
    const raw =
      '---\ntitle: From front matter\npublisher: Example News\nurl: https://example.com/a\ndate: 2024-06-20\nauthors: [Ann Lee, Bo Park]\n---\n# Heading title\nJune 19, 2024\nBy Someone Else\n\nBody sentence here.\n';
    const { meta, text } = await parse(raw, 'x.md');
    expect(meta).toEqual({
      title: 'From front matter',
      publisher: 'Example News',
      url: 'https://example.com/a',
      date: '2024-06-20',
      authors: ['Ann Lee', 'Bo Park'],
    });
    expect(text).toBe('Body sentence here.');
  });

  it('keeps the first line as text when front matter already names the title', async () => {
    const { meta, text } = await parse('---\ntitle: Banquet\ndate: 2024-06-20\n---\nThe state banquet featured a band.\n', 'b.md');
    expect(meta.title).toBe('Banquet');
    expect(text).toBe('The state banquet featured a band.');
  });

  it('reads Source:/URL: lines and a trailing link, deriving the publisher from the host', async () => {
    expect((await parse('Title line\nBody text here.\nSource: https://www.reuters.com/world/x\n', 'a.txt')).meta).toMatchObject({
      url: 'https://www.reuters.com/world/x',
      publisher: 'reuters.com',
    });
    expect((await parse('Title line\nBody text here.\nURL: <https://apnews.com/article/y>\n', 'a.txt')).meta.url).toBe('https://apnews.com/article/y');
    expect((await parse('Title line\nBody text here.\nSource: BBC News\n<https://bbc.co.uk/z>\n', 'a.txt')).meta).toMatchObject({
      publisher: 'BBC News',
      url: 'https://bbc.co.uk/z',
    });
  });

  it('parses the date formats pasted articles use', () => {
    expect(parseDate('19 June 2024 17:07')).toBe('2024-06-19');
    expect(parseDate('June 19, 2024')).toBe('2024-06-19');
    expect(parseDate('Wednesday, 19 Jun 2024')).toBe('2024-06-19');
    expect(parseDate('2024-06-19T10:00:00Z')).toBe('2024-06-19');
    expect(parseDate('June 31, 2024')).toBeNull();
    expect(parseDate('In June 2024 Putin went')).toBeNull();
  });

  it('rejects broken front matter and empty articles with a reason', async () => {
    await expect(parse('---\ntitle: [unclosed\n---\nBody.', 'a.md')).rejects.toThrow(ArticleError);
    await expect(parse('---\ntitle: no end\nBody.', 'a.md')).rejects.toThrow(/no closing/);
    await expect(parse('Only a title\n\n', 'a.md')).rejects.toThrow(/no text/);
    await expect(parse('', 'a.md')).rejects.toThrow(/empty/);
  });
});

describe('loadCorpus', () => {
  it('reads sub-folders, skips bad files with warnings and keeps the good ones', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await mkdir(path.join(dir, 'world/asia'), { recursive: true });
    await writeFile(path.join(dir, 'world/asia/good.md'), '# Good article\n\nA sentence about the summit.\n');
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    await writeFile(path.join(dir, 'empty.txt'), '   \n');
    await writeFile(path.join(dir, 'broken.md'), '---\ntitle: "unterminated\n---\nText.');
    await writeFile(path.join(dir, 'notes.pdf'), 'a text file with a .pdf name');
    const { articles, warnings } = await loadCorpus(dir);
    expect(articles.map((a) => a.file)).toEqual(['world/asia/good.md']);
    expect(warnings.map((w) => w.file).sort()).toEqual(['binary.txt', 'broken.md', 'empty.txt', 'notes.pdf']);
    expect(warnings.find((w) => w.file === 'binary.txt')!.reason).toMatch(/not a text file/);
    expect(warnings.find((w) => w.file === 'notes.pdf')!.reason).toMatch(/not a PDF/);
  });

  it('says what to do when the folder is missing', async () => {
    await expect(loadCorpus('/nonexistent/corpus')).rejects.toThrow(CorpusError);
    await expect(loadCorpus('/nonexistent/corpus')).rejects.toThrow(/Create it/);
  });
});
