// Articles as newsrooms have them: web pages, PDFs, markdown, any encoding; real files, real parsers,
// then the real index and ask() on them.
import { mkdir, readFile, symlink, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import { loadCorpus } from '../src/corpus/load.js';
import { parseArticle } from '../src/corpus/parse.js';
import { buildIndex } from '../src/indexing/build.js';
import { ROOT, tempDir, testConfig, testEmbedder } from './helpers.js';
import { makePdf } from './pdf-fixture.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/formats');
const fixture = (name: string) => readFile(path.join(FIXTURES, name));
const parse = (name: string, bytes: Uint8Array | string) => parseArticle({ name, bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes });

const STATEMENT = {
  heading: 'Joint statement on the estuary ferry',
  pages: [
    [
      'The councils of Port Alder and Bremmin have agreed to run a joint ferry service across the estuary from the first of June. The service will carry passengers and bicycles and will run every hour from seven in the morning.',
      'Tickets will cost the same on both shores. Residents of either town will pay half the fare with a resident card issued by their council.',
    ],
    ['The ferry will be reviewed after its first year of service, and the councils will publish the number of passengers each month.'],
  ],
};

let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(() => work.cleanup());

describe('web pages', () => {
  it('keep the article body only, with the metadata the page carries and entities decoded', async () => {
    const { meta, text, format } = await parse('page.html', await fixture('news-page.html'));
    expect(format).toBe('html');
    expect(meta).toEqual({
      title: 'Port Alder and Bremmin sign a harbour deal & a ferry pact',
      publisher: 'The Coastal Ledger',
      date: '2025-03-04',
      url: 'https://ledger.example.com/2025/03/04/harbour-deal',
      authors: ['Mara Quill', 'Tobias Fenn'],
    });
    expect(text.startsWith('The towns of Port Alder and Bremmin signed a twenty-year harbour agreement')).toBe(true);
    expect(text).toContain('The mayors called it "a fair tide for both shores" at a ceremony');
    expect(text).toContain('\n\nFishermen cautious\n\n');
    expect(text.endsWith('before the vote.')).toBe(true);
    for (const boilerplate of [
      'cookies',
      'Subscribe',
      'Share on',
      'Related stories',
      'Storm closes',
      'All rights reserved',
      'analytics',
      '&quot;',
      '&amp;',
      '<',
      'Sport',
    ]) {
      expect(text).not.toContain(boilerplate);
    }
  });

  it('are read as pages whatever their name, and fall back to Open Graph and <title>', async () => {
    const page = (await fixture('news-page.html')).toString('utf8').replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '');
    const saved = await parse('saved-page.txt', page);
    expect(saved.format).toBe('html');
    expect(saved.meta).toMatchObject({ title: 'Harbour deal signed in Port Alder', publisher: 'The Coastal Ledger', date: '2025-03-04', authors: [] });
    const bare = await parse(
      'x.htm',
      '<html><head><title>Quay news</title></head><body><p>The quay reopened on Friday after a week of repairs to the sea wall, the harbour master said.</p></body></html>',
    );
    expect(bare.meta).toMatchObject({ title: 'Quay news', publisher: null, url: null });
    expect(bare.text).toBe('The quay reopened on Friday after a week of repairs to the sea wall, the harbour master said.');
  });

  it("leave out the site's name after the title (og:site_name, publisher or host), never a part of the title itself", async () => {
    const body = '<p>The quay reopened on Friday after a week of repairs to the sea wall, the harbour master said.</p>';
    const titleOf = async (title: string, head = '') =>
      (await parse('p.html', `<html><head><title>${title}</title>${head}</head><body><article>${body}</article></body></html>`)).meta.title;
    const siteName = '<meta property="og:site_name" content="Example News">';
    expect(await titleOf('Quay reopens | Example News', siteName)).toBe('Quay reopens');
    expect(await titleOf('Quay reopens - Example News', siteName)).toBe('Quay reopens');
    // The name's first word alone, as some sites shorten it.
    expect(await titleOf('Quay reopens — Example', siteName)).toBe('Quay reopens');
    // No site name given: the host's name is the site's.
    expect(await titleOf('Quay reopens | Example News', '<link rel="canonical" href="https://www.examplenews.com/quay">')).toBe('Quay reopens');
    expect(await titleOf('Quay reopens · Example', '<link rel="canonical" href="https://news.example.co.uk/quay">')).toBe('Quay reopens');
    // Dashes of the title's own stay, and so does a suffix that is not the site's name.
    expect(await titleOf('Sea wall - what we know', siteName)).toBe('Sea wall - what we know');
    expect(await titleOf('Quay reopens - live updates | Example News', siteName)).toBe('Quay reopens - live updates');
    expect(await titleOf('Quay reopens – Other Paper', siteName)).toBe('Quay reopens – Other Paper');
    expect(await titleOf('Example News - Quay reopens', siteName)).toBe('Example News - Quay reopens');
    expect(await titleOf('Quay reopens | Example News')).toBe('Quay reopens | Example News');
  });
});

describe('PDF', () => {
  it('gives the text in reading order with paragraphs kept, and the document information', async () => {
    const pdf = await makePdf({ ...STATEMENT, title: 'Estuary Ferry Agreement', author: 'Port Alder Council', created: new Date('2025-03-05T10:00:00Z') });
    const { meta, text, format } = await parse('statement.pdf', pdf);
    expect(format).toBe('pdf');
    expect(meta).toMatchObject({ title: 'Estuary Ferry Agreement', date: '2025-03-05', authors: ['Port Alder Council'] });
    // The heading in large type opens the text as a title would (the document's title wins); each paragraph
    // is whole, across wrapped lines and pages.
    expect(text.split('\n\n')).toEqual(STATEMENT.pages.flat());
  });

  it('without document information takes the title and date from the text, as for pasted articles', async () => {
    const pdf = await makePdf({ heading: 'Ferry statement', pages: [['6 March 2025', ...STATEMENT.pages[0]!]] });
    const { meta, text } = await parse('Statement_final.pdf', pdf);
    expect(meta).toMatchObject({ title: 'Ferry statement', date: '2025-03-06' });
    expect(text.startsWith('The councils of Port Alder')).toBe(true);
  });

  it('refuses a damaged PDF with a reason', async () => {
    await expect(parse('broken.pdf', '%PDF-1.7\nthis is not really a pdf')).rejects.toThrow(/not a readable PDF/);
    await expect(parse('fake.pdf', 'plain words')).rejects.toThrow(/not a PDF/);
  });
});

describe('markdown through a parser', () => {
  it('drops setext heading marks, reference link targets and HTML comments from quotable text', async () => {
    const raw = [
      'Harbour talks resume',
      '====================',
      '',
      '<!-- editor: check the figures before publishing -->',
      'Talks resumed on Monday, [the council said][council], after a pause of two weeks.',
      '',
      'Second section',
      '--------------',
      '',
      'The *mayor* said the **deal** was "close" and `final` terms were near. ![A quay](https://img.example/q.jpg)',
      '',
      '[council]: https://council.example/news "Council news"',
    ].join('\n');
    const { meta, text } = await parse('talks.md', raw);
    expect(meta.title).toBe('Harbour talks resume');
    expect(text).toBe(
      'Talks resumed on Monday, the council said, after a pause of two weeks.\n\nSecond section\n\nThe mayor said the deal was "close" and final terms were near.',
    );
  });
});

describe('encodings', () => {
  const body = 'Le café “Quai” a rouvert.\nIl sert une crème brûlée à 5 €.\n';
  it('reads UTF-8 with or without a BOM, UTF-16 with a BOM, CRLF line ends', async () => {
    const expected = 'Le café “Quai” a rouvert.\n\nIl sert une crème brûlée à 5 €.';
    const title = 'Réouverture\n';
    const utf8 = Buffer.from(title + body.replace(/\n/g, '\r\n'));
    const variants = {
      utf8,
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]),
      utf16le: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(title + body, 'utf16le')]),
      utf16be: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(title + body, 'utf16le').swap16()]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const parsed = await parse(`${name}.txt`, bytes);
      expect(parsed.meta.title, name).toBe('Réouverture');
      expect(parsed.text, name).toBe(expected);
      expect(parsed.notes, name).toEqual([]);
    }
  });

  it('decodes a Windows-1252 file with a note instead of refusing it', async () => {
    const parsed = await parse('legacy.txt', await fixture('legacy-cp1252.txt'));
    expect(parsed.meta).toMatchObject({ title: 'Council approves the new café on Quay Street', date: '2025-03-12' });
    expect(parsed.text).toBe(
      'The council approved the café’s licence on Monday. “It is a small change,” said the mayor, “but a welcome one.”\n\nThe café will open in May and serve crème brûlée.',
    );
    expect(parsed.notes.join()).toMatch(/decoded as Windows-1252/);
  });

  it('honours the charset a page declares', async () => {
    const page = Buffer.concat([
      Buffer.from('<html><head><meta charset="iso-8859-2"><title>Zpr'),
      Buffer.from([0xe1, 0x76, 0x79]),
      Buffer.from('</title></head><body><p>Starosta '),
      Buffer.from([0xa9, 0x74, 0xec, 0x70, 0xe1, 0x6e]),
      Buffer.from(' otev\xf8el p\xf8\xedstav a \xf8ekl, \xbee je hotov\xfd.</p></body></html>', 'latin1'),
    ]);
    const parsed = await parse('czech.html', page);
    expect(parsed.meta.title).toBe('Zprávy');
    expect(parsed.text).toBe('Starosta Štěpán otevřel přístav a řekl, že je hotový.');
    expect(parsed.notes.join()).toMatch(/iso-8859-2/);
  });
});

describe('files not indexed are named with their reason', () => {
  it('unsupported, empty, binary, too large, broken or looping links; symlinked articles followed', async () => {
    const corpus = path.join(work.dir, 'reasons');
    await mkdir(path.join(corpus, 'sub'), { recursive: true });
    await writeFile(path.join(work.dir, 'outside.md'), '# Outside article\n\nA linked article from elsewhere on the server.\n');
    await writeFile(path.join(corpus, 'good.md'), '# Good\n\nA sentence about the quay.\n');
    await writeFile(path.join(corpus, 'report.docx'), 'PK\u0003\u0004 not really a docx');
    await writeFile(path.join(corpus, 'README'), 'notes');
    await writeFile(path.join(corpus, 'empty.txt'), '');
    await writeFile(path.join(corpus, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    await writeFile(path.join(corpus, 'huge.txt'), `Huge\n\n${'word '.repeat(300_000)}`);
    await writeFile(path.join(corpus, '.hidden.txt'), 'An editor scratch file');
    await symlink(path.join(work.dir, 'outside.md'), path.join(corpus, 'linked.md'));
    await symlink(path.join(corpus, 'good.md'), path.join(corpus, 'sub', 'again.md'));
    await symlink(path.join(work.dir, 'missing.md'), path.join(corpus, 'dangling.md'));
    await symlink(corpus, path.join(corpus, 'sub', 'loop'));
    const { articles, warnings } = await loadCorpus(corpus, { maxBytes: 1024 * 1024 });
    expect(articles.map((a) => a.file)).toEqual(['good.md', 'linked.md']);
    const reasons = Object.fromEntries(warnings.map((w) => [w.file, w.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ['README', 'dangling.md', 'empty.txt', 'huge.txt', 'image.txt', 'report.docx', 'sub/again.md', 'sub/loop/'].sort(),
    );
    expect(reasons['report.docx']).toMatch(/unsupported type \.docx: Story Desk reads .*\.html.*\.pdf/);
    expect(reasons.README).toMatch(/unsupported type \(no extension\)/);
    expect(reasons['empty.txt']).toBe('is empty');
    expect(reasons['image.txt']).toMatch(/not a text file/);
    expect(reasons['huge.txt']).toMatch(/too large \(1\.4 MB; the limit is 1\.0 MB, setting ARTICLE_MAX_MB\)/);
    expect(reasons['dangling.md']).toMatch(/broken link/);
    expect(reasons['sub/again.md']).toMatch(/same file as good\.md/);
    expect(reasons['sub/loop/']).toMatch(/loop/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable folder is skipped with a warning', async () => {
    const corpus = path.join(work.dir, 'locked');
    await mkdir(path.join(corpus, 'private'), { recursive: true });
    await writeFile(path.join(corpus, 'open.md'), '# Open\n\nReadable text here.\n');
    await chmod(path.join(corpus, 'private'), 0);
    try {
      const { articles, warnings } = await loadCorpus(corpus);
      expect(articles.map((a) => a.file)).toEqual(['open.md']);
      expect(warnings).toEqual([{ file: 'private/', reason: expect.stringMatching(/folder cannot be read \(EACCES\)/) }]);
    } finally {
      await chmod(path.join(corpus, 'private'), 0o755);
    }
  });
});

describe('indexed and answered', () => {
  it('quotes the cleaned text of a web page, a PDF and a cp1252 file, citing their metadata', async () => {
    const corpus = path.join(work.dir, 'formats-corpus');
    await mkdir(corpus, { recursive: true });
    await writeFile(path.join(corpus, 'harbour.html'), await fixture('news-page.html'));
    await writeFile(path.join(corpus, 'cafe.txt'), await fixture('legacy-cp1252.txt'));
    await writeFile(
      path.join(corpus, 'ferry.pdf'),
      await makePdf({ ...STATEMENT, title: 'Estuary Ferry Agreement', created: new Date('2025-03-05T10:00:00Z') }),
    );
    const config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(work.dir, 'formats-index') });
    const embedder = await testEmbedder();
    const notes: string[] = [];
    const summary = await buildIndex(config, embedder, { onNote: (n) => notes.push(`${n.file}: ${n.note}`) });
    expect(summary).toMatchObject({ articles: 3, warnings: [] });
    expect(notes).toEqual([expect.stringMatching(/^cafe\.txt: not valid UTF-8: decoded as Windows-1252/)]);
    const engine = await openEngine(config, embedder);
    const index = engine.index();
    const answer = await ask(engine, 'What will Bremmin lease to the Port Alder fleet?');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts.map((e) => e.quote).join(' ')).toContain('six deep-water berths to the Port Alder fleet for €1.2 million a year');
    for (const excerpt of answer.excerpts) {
      const source = answer.sources.find((s) => s.n === excerpt.source)!;
      expect(index.articles.find((a) => a.file === source.file)!.text.slice(excerpt.start, excerpt.end)).toBe(excerpt.quote);
    }
    expect(answer.sources.find((s) => s.file === 'harbour.html')).toMatchObject({
      publisher: 'The Coastal Ledger',
      date: '2025-03-04',
      url: 'https://ledger.example.com/2025/03/04/harbour-deal',
    });
    const ferry = await ask(engine, 'Will the ferry carry bicycles?');
    expect(ferry.excerpts.map((e) => e.quote).join(' ')).toContain('The service will carry passengers and bicycles');
    expect(ferry.sources.find((s) => s.file === 'ferry.pdf')).toMatchObject({ title: 'Estuary Ferry Agreement', date: '2025-03-05' });
  });
});
