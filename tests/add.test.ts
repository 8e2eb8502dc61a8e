// npm run add and its fetching: real pages served from 127.0.0.1, the real parsers, the real index.
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addArticles, fetchOptionsOf, removeArticle, slug } from '../src/adding/add.js';
import { isPrivateAddress } from '../src/adding/addresses.js';
import { fetchArticle, type FetchOptions } from '../src/adding/fetch.js';
import { openEngine } from '../src/app.js';
import { ask } from '../src/answer/ask.js';
import { buildIndex } from '../src/indexing/build.js';
import { loadIndex } from '../src/store/files.js';
import { copyCorpus, ROOT, TEST_ENV, tempDir, testConfig, testEmbedder } from './helpers.js';
import { makePdf } from './pdf-fixture.js';
import { redirect, send, servePages } from './serve-pages.js';

const run = promisify(execFile);
const PAGE = readFile(path.join(ROOT, 'tests/fixtures/formats/news-page.html'));
const CAP = 256 * 1024;

let work: { dir: string; cleanup: () => Promise<void> };
let site: Awaited<ReturnType<typeof servePages>>;
let other: Awaited<ReturnType<typeof servePages>>;
beforeAll(async () => {
  work = await tempDir();
  const page = await PAGE;
  other = await servePages({ '/inside': send('text/html', '<p>internal</p>') });
  site = await servePages({
    '/story': send('text/html; charset=utf-8', page),
    '/moved': redirect('/story', 301),
    '/gzip': send('text/html', zlib.gzipSync(page), { 'content-encoding': 'gzip' }),
    '/statement.pdf': (_req, res) => {
      void makePdf({
        title: 'Estuary Ferry Agreement',
        created: new Date('2025-03-05T10:00:00Z'),
        heading: 'Joint statement',
        pages: [['The councils agreed to run a joint ferry service across the estuary from the first of June.']],
      }).then((pdf) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from(pdf)));
    },
    '/photo.png': send('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])),
    '/huge': send('text/html', 'x'.repeat(CAP + 1)),
    '/bomb': send('text/html', zlib.gzipSync(Buffer.alloc(CAP * 8, 0x20)), { 'content-encoding': 'gzip' }),
    '/slow': () => undefined,
    '/loop': redirect('/loop'),
    '/to-private': redirect(`${other.origin}/inside`),
    '/to-file': redirect('file:///etc/passwd'),
    '/empty-page': send('text/html', '<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>'),
    '/gone': (_req, res) => res.writeHead(410).end(),
    // A page whose only title is the browser tab's, with the site's name after it.
    '/tab-title': send(
      'text/html',
      page
        .toString('utf8')
        .replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '')
        .replace(/<meta property="og:title"[^>]*>/, '')
        .replace('<title>Harbour deal signed | The Coastal Ledger</title>', '<title>Ferry pact and harbour deal – what we know | The Coastal Ledger</title>'),
    ),
  });
});
afterAll(async () => {
  await site.close();
  await other.close();
  await work.cleanup();
});

const open: FetchOptions = { timeoutMs: 1500, maxBytes: CAP, allowPrivate: true };

describe('fetching', () => {
  it('follows redirects, inflates compressed pages and reads the declared charset', async () => {
    const fetched = await fetchArticle(`${site.origin}/moved`, open);
    expect(fetched).toMatchObject({ mediaType: 'text/html', charset: 'utf-8', url: `${site.origin}/story` });
    expect(fetched.bytes.equals(await PAGE)).toBe(true);
    expect((await fetchArticle(`${site.origin}/gzip`, open)).bytes.equals(await PAGE)).toBe(true);
  });

  it('refuses what is not an article, too large, too slow, looping, or not http(s)', async () => {
    await expect(fetchArticle(`${site.origin}/photo.png`, open)).rejects.toThrow(/is image\/png, not a web page, PDF or text/);
    await expect(fetchArticle(`${site.origin}/huge`, open)).rejects.toThrow(/larger than 0\.3 MB \(ARTICLE_MAX_MB\)/);
    await expect(fetchArticle(`${site.origin}/bomb`, open)).rejects.toThrow(/larger than/);
    const started = Date.now();
    await expect(fetchArticle(`${site.origin}/slow`, open)).rejects.toThrow(/did not answer within 2 s/);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(fetchArticle(`${site.origin}/loop`, open)).rejects.toThrow(/redirects more than 5 times/);
    await expect(fetchArticle(`${site.origin}/gone`, open)).rejects.toThrow(/answered HTTP 410/);
    await expect(fetchArticle(`${site.origin}/to-file`, open)).rejects.toThrow(/file: links are not fetched/);
    await expect(fetchArticle('ftp://example.com/a.txt', open)).rejects.toThrow(/ftp: links are not fetched/);
    await expect(fetchArticle('not a link', open)).rejects.toThrow(/is not a link/);
  });

  it('refuses private, loopback, link-local and metadata addresses unless allowed, on every redirect', async () => {
    const guarded: FetchOptions = { ...open, allowPrivate: false };
    await expect(fetchArticle(`${site.origin}/story`, guarded)).rejects.toThrow(
      /127\.0\.0\.1 is a private or local address: not fetched \(ADD_ALLOW_PRIVATE_URLS=true allows it\)/,
    );
    // A name is resolved first and every address checked.
    await expect(fetchArticle(`${site.origin.replace('127.0.0.1', 'localhost')}/story`, guarded)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), a private or local address/,
    );
    for (const address of ['http://169.254.1.1/', 'http://[::7f00:1]/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://10.1.2.3/', 'http://0.0.0.0/']) {
      await expect(fetchArticle(address, guarded), address).rejects.toThrow(/private or local address/);
    }
    // A trusted origin (the operator's CDN) redirecting elsewhere: the redirect's target is checked again.
    const trusting: FetchOptions = { ...guarded, trustedOrigins: [site.origin] };
    expect((await fetchArticle(`${site.origin}/story`, trusting)).mediaType).toBe('text/html');
    await expect(fetchArticle(`${site.origin}/to-private`, trusting)).rejects.toThrow(/private or local address/);
    expect(other.hits).toEqual([]);
  });

  it('trusts the operator’s CDN origin for attachments only: a link pasted to /add on it is checked like any link', async () => {
    const corpusDir = path.join(work.dir, 'cdn-corpus');
    await mkdir(corpusDir, { recursive: true });
    const guarded = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(work.dir, 'cdn-index') });
    // As /add passes them: DISCORD_CDN_URL's origin (127.0.0.1 here, as with the fake Discord) is trusted.
    const settings = { fetch: fetchOptionsOf(guarded, [site.origin]), addedBy: 'editor' };
    const link = await addArticles([{ url: `${site.origin}/story` }], guarded, await testEmbedder(), settings);
    expect(link).toMatchObject({
      added: [],
      summary: null,
      failed: [{ reason: expect.stringMatching(/127\.0\.0\.1 is a private or local address: not fetched/) }],
    });
    expect(await readdir(path.join(corpusDir, 'added'))).toEqual([]);
    const attachment = await addArticles([{ attachment: `${site.origin}/story`, name: 'story.html' }], guarded, await testEmbedder(), settings);
    expect(attachment.added).toEqual([expect.objectContaining({ status: 'added', file: expect.stringMatching(/^added\/2025-03-04-port-alder/) })]);
  });

  it('knows the ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::7f00:1',
      'ff02::1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('npm run add', () => {
  it('keeps the original page as corpus/added/<date>-<slug>.html with its address, indexes it, and answers from it', async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'add-corpus'));
    const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(work.dir, 'add-index'), ADD_ALLOW_PRIVATE_URLS: 'true', ARTICLE_MAX_MB: '0.25' });
    const embedder = await testEmbedder();
    const settings = { fetch: fetchOptionsOf(config), addedBy: 'test' };
    await buildIndex(config, embedder);
    const pdfPath = path.join(work.dir, 'statement.pdf');
    await writeFile(
      pdfPath,
      await makePdf({
        title: 'Harbour Statement',
        created: new Date('2025-03-06T08:00:00Z'),
        heading: 'Statement',
        pages: [['Bremmin will lease six berths to the fleet of Port Alder.']],
      }),
    );
    const result = await addArticles(
      [{ url: `${site.origin}/moved` }, { path: pdfPath }, { url: `${site.origin}/empty-page` }, { url: `${site.origin}/photo.png` }],
      config,
      embedder,
      settings,
    );
    expect(result.failed).toEqual([
      { input: `${site.origin}/empty-page`, reason: 'the web page has no article text that could be found' },
      { input: `${site.origin}/photo.png`, reason: expect.stringMatching(/image\/png/) },
    ]);
    const file = 'added/2025-03-04-port-alder-and-bremmin-sign-a-harbour-deal-a-ferry-pact.html';
    expect(result.added).toEqual([
      {
        input: `${site.origin}/moved`,
        file,
        status: 'added',
        chunks: expect.any(Number),
        meta: {
          title: 'Port Alder and Bremmin sign a harbour deal & a ferry pact',
          publisher: 'The Coastal Ledger',
          date: '2025-03-04',
          url: 'https://ledger.example.com/2025/03/04/harbour-deal',
          authors: ['Mara Quill', 'Tobias Fenn'],
        },
      },
      {
        input: pdfPath,
        file: 'added/2025-03-06-harbour-statement.pdf',
        status: 'added',
        chunks: 1,
        meta: expect.objectContaining({ title: 'Harbour Statement', date: '2025-03-06' }),
      },
    ]);
    expect(result.added[0]!.chunks).toBeGreaterThan(0);
    // The original bytes, and where they came from beside them (a hidden file the index does not read).
    expect((await readFile(path.join(corpusDir, file))).equals(await PAGE)).toBe(true);
    const record = JSON.parse(await readFile(path.join(corpusDir, 'added', `.${path.basename(file)}.source.json`), 'utf8'));
    expect(record).toMatchObject({ url: `${site.origin}/story`, charset: 'utf-8', addedBy: 'test' });
    expect((await readdir(path.join(corpusDir, 'added'))).filter((n) => !n.startsWith('.')).sort()).toEqual([
      path.basename(file),
      '2025-03-06-harbour-statement.pdf',
    ]);
    expect(result.summary).toMatchObject({ articles: 4, embeddedArticles: 2 });

    const engine = await openEngine(config, embedder);
    const answer = await ask(engine, 'What will Bremmin lease to the Port Alder fleet?');
    expect(answer.excerpts.map((e) => e.quote).join(' ')).toMatch(/six (deep-water )?berths/);

    // The same link again: nothing new.
    const again = await addArticles([{ url: `${site.origin}/story` }], config, embedder, settings);
    expect(again.added).toEqual([expect.objectContaining({ file, status: 'unchanged' })]);

    // Without the setting, the same page on 127.0.0.1 is refused and nothing is written.
    const guarded = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(work.dir, 'add-index') });
    const refused = await addArticles([{ url: `${site.origin}/gzip` }], guarded, embedder, { fetch: fetchOptionsOf(guarded), addedBy: null });
    expect(refused).toMatchObject({ added: [], summary: null, failed: [{ reason: expect.stringMatching(/private or local address/) }] });

    // Removed by its title: gone from the folder and the index.
    const removed = await removeArticle('harbour statement', config, embedder);
    expect(removed.file).toBe('added/2025-03-06-harbour-statement.pdf');
    expect((await loadIndex(config.indexDir)).articles.map((a) => a.file)).not.toContain(removed.file);
    await expect(removeArticle('Putin and Kim sign defence pact amid growing western tension', config, embedder)).rejects.toThrow(
      /was not added from Discord or npm run add/,
    );
    await expect(removeArticle('no such thing', config, embedder)).rejects.toThrow(/no added article has the title or file/);
  });

  it("an added page's title leaves out the site's name after it, and keeps a dash of its own", async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'tab-title-corpus'));
    const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(work.dir, 'tab-title-index'), ADD_ALLOW_PRIVATE_URLS: 'true' });
    const result = await addArticles([{ url: `${site.origin}/tab-title` }], config, await testEmbedder(), { fetch: fetchOptionsOf(config), addedBy: null });
    expect(result.failed).toEqual([]);
    expect(result.added[0]).toMatchObject({
      file: 'added/2025-03-04-ferry-pact-and-harbour-deal-what-we-know.html',
      meta: { title: 'Ferry pact and harbour deal – what we know', publisher: 'The Coastal Ledger' },
    });
    expect((await loadIndex(config.indexDir)).articles.find((a) => a.file === result.added[0]!.file)?.meta.title).toBe(
      'Ferry pact and harbour deal – what we know',
    );
  });

  it('prints what it detected, and exits 1 naming what it could not add', async () => {
    const corpusDir = path.join(work.dir, 'cli-corpus');
    await mkdir(corpusDir, { recursive: true });
    const env = { ...process.env, ...TEST_ENV, MODEL_DIR: path.resolve(TEST_ENV.MODEL_DIR), ADD_ALLOW_PRIVATE_URLS: 'true' };
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const args = [
      'scripts/add.ts',
      '--corpus',
      corpusDir,
      '--index',
      path.join(work.dir, 'cli-index'),
      `${site.origin}/story`,
      path.join(work.dir, 'missing.pdf'),
    ];
    const failure = await run(tsx, args, { cwd: ROOT, env }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    const { stdout, stderr } = failure as { stdout: string; stderr: string };
    expect(stdout).toMatch(
      /^Added: “Port Alder and Bremmin sign a harbour deal & a ferry pact” — The Coastal Ledger, 2025-03-04 \(\d+ chunks?\) as added\/2025-03-04-port-alder-and-bremmin-sign-a-harbour-deal-a-ferry-pact\.html$/m,
    );
    expect(stdout).toMatch(/^Index: 1 article\(s\), \d+ chunks/m);
    expect(stderr).toMatch(/^Not added: .*missing\.pdf: .*missing\.pdf is not a file that can be read$/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an add killed before its index is built leaves no file behind: the next add takes back what it wrote', async () => {
    const corpusDir = await copyCorpus(path.join(work.dir, 'killed-corpus'));
    const indexDir = path.join(work.dir, 'killed-index');
    const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, ADD_ALLOW_PRIVATE_URLS: 'true' });
    const embedder = await testEmbedder();
    await buildIndex(config, embedder);
    // A long article (a few seconds to index), so that the add is still indexing when it is killed.
    const long = path.join(work.dir, 'long.txt');
    const sentences = (p: number) =>
      Array.from({ length: 6 }, (_, s) => `Paragraph ${p} sentence ${s} tells of the harbour board meeting ${p * 7 + s}.`).join(' ');
    await writeFile(long, `Harbour board minutes\n\n${Array.from({ length: 6000 }, (_, p) => sentences(p)).join('\n\n')}\n`);
    const added = path.join(corpusDir, 'added');
    const env = { ...process.env, ...TEST_ENV, MODEL_DIR: path.resolve(TEST_ENV.MODEL_DIR) };
    // node with tsx as a loader: one process to kill (the tsx command would run the script in a child of its own).
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/add.ts', '--corpus', corpusDir, '--index', indexDir, long], { cwd: ROOT, env });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed once it has named its new article (it is then writing it, or indexing): as a deploy or the OOM killer would.
    let named: string | null = null;
    while (!named && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const name of await readdir(added).catch(() => [] as string[])) {
        if (!/^\.adding-.*\.json$/.test(name)) continue;
        const files = await readFile(path.join(added, name), 'utf8')
          .then((t) => JSON.parse(t).files as string[])
          .catch(() => [] as string[]);
        // Named and written under its name: the file the editor would never be told about.
        if (files[0] && (await stat(files[0]).catch(() => null))) named = files[0];
      }
    }
    child.kill('SIGKILL');
    await exited;
    expect(named, 'the add finished before it could be killed').not.toBeNull();
    const leftover = await readdir(added);
    expect(leftover).toContain(path.basename(named!));
    expect(leftover.some((name) => name.startsWith('.adding-'))).toBe(true);

    // The next add (another editor's page) takes back the killed add's files before it writes its own.
    const next = await addArticles([{ url: `${site.origin}/story` }], config, embedder, { fetch: fetchOptionsOf(config), addedBy: 'next' });
    const told = next.added.map((a) => path.basename(a.file));
    expect(told).toEqual(['2025-03-04-port-alder-and-bremmin-sign-a-harbour-deal-a-ferry-pact.html']);
    expect((await readdir(added)).filter((name) => !name.endsWith('.source.json'))).toEqual(told);
    expect((await loadIndex(indexDir)).articles.map((a) => a.file)).not.toContain(`added/${path.basename(named!)}`);
  }, 120_000);

  it('names files in a readable, safe way', () => {
    expect(slug('Port Alder & Bremmin: “Deal” signed — Élan')).toBe('port-alder-bremmin-deal-signed-elan');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('!!!')).toBe('article');
    expect(slug('word '.repeat(40)).length).toBeLessThanOrEqual(60);
  });
});
