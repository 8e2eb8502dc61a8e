// A story's articles repeat and update each other: wire copy in several outlets, a copy edited by a word, a later
// report that changes the state of things. The articles here are written for the test (a made-up accord).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/app.js';
import { ask, type AnswerEngine } from '../src/answer/ask.js';
import { renderAnswerText } from '../src/render/terminal.js';
import { tempDir, testConfig, indexedEngine } from './helpers.js';

const WIRE = 'The mayors of Arlen and Bexley signed the Harbour Accord in the town hall of Arlen on Friday evening.';
const TURNING_POINT = 'Mayor Ruth Okafor called the Harbour Accord a turning point for the fishing fleets of the coast.';
const EDITED = 'Mayor Ruth Okafor called the Harbour Accord a real turning point for the fishing fleets of the coast.';

const ARTICLES: Record<string, string> = {
  'gazette-signed.md': `---
title: Arlen and Bexley sign the Harbour Accord
publisher: Coast Gazette
date: 2024-03-01
url: https://gazette.example/harbour-accord-signed
---
${WIRE} ${TURNING_POINT}

The Harbour Accord will enter into force only once both town councils ratify it, which officials expect to take months.
The accord shares the dredging costs of the harbour channel between the two towns and opens the fish market to boats from both.
`,
  'valley-wire.md': `---
title: Port towns agree on shared harbour
publisher: valleywire.example
date: 2024-03-02
url: https://valleywire.example/port-towns-harbour
---
${WIRE} ${EDITED}

What does the accord change for the fishermen of Bexley?
Fishermen in Bexley said they hoped the new market rules would bring more buyers to the quay before the summer season.
`,
  'gazette-in-force.md': `---
title: Harbour Accord in force after councils ratify it
publisher: Coast Gazette
date: 2024-09-16
url: https://gazette.example/harbour-accord-in-force
---
The Harbour Accord entered into force on Monday, after the councils of Arlen and Bexley both ratified it in August.
The first shared dredging of the harbour channel is planned for October, the harbour master said.
At the ceremony Mayor Okafor gave the harbour master Lena Brandt a silver medal for her years of service.
In turn the harbour master Lena Brandt gave Mayor Okafor an old chart of the channel, drawn by her grandfather.

The Bexley council leader Tomas Reyes spoke to reporters after the vote on Monday. He said, "From now on the channel will be dredged every spring, and the market will open at dawn."
`,
};

let work: { dir: string; cleanup: () => Promise<void> };
let engine: AnswerEngine;
/** The same index with a low ANSWER_MIN_CONFIDENCE: for what may be quoted, whatever the scorer's own bar declines. */
let lowBar: AnswerEngine;
beforeAll(async () => {
  work = await tempDir();
  const corpusDir = path.join(work.dir, 'corpus');
  await mkdir(corpusDir);
  for (const [file, text] of Object.entries(ARTICLES)) await writeFile(path.join(corpusDir, file), text);
  const built = await indexedEngine(corpusDir, work.dir);
  engine = built.engine;
  lowBar = await openEngine(testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: built.config.indexDir, ANSWER_MIN_CONFIDENCE: '0.05' }), built.embedder);
});
afterAll(() => work.cleanup());

function citedOutlets(answer: Awaited<ReturnType<typeof ask>>, quoteHolds: string): string[] {
  const excerpt = answer.excerpts.find((e) => e.quote.includes(quoteHolds));
  if (!excerpt) return [];
  return [excerpt.source, ...excerpt.alsoIn].map((n) => answer.sources.find((s) => s.n === n)!.publisher ?? '').sort();
}

describe('articles that repeat and update each other', () => {
  it('quotes a wire sentence once and cites every outlet that carries it', async () => {
    const answer = await ask(engine, 'who signed the harbour accord?');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts.filter((e) => e.quote.includes('signed the Harbour Accord in the town hall'))).toHaveLength(1);
    expect(citedOutlets(answer, 'signed the Harbour Accord in the town hall')).toEqual(['Coast Gazette', 'valleywire.example']);
    const text = renderAnswerText(answer);
    const excerpt = answer.excerpts.find((e) => e.quote.includes('town hall'))!;
    expect(text).toContain(`[${[excerpt.source, ...excerpt.alsoIn].join('][')}]`);
  });

  it('quotes a sentence edited by a word in another outlet once, citing both', async () => {
    const answer = await ask(engine, 'what did okafor call the accord');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts.filter((e) => e.quote.includes('turning point'))).toHaveLength(1);
    expect(citedOutlets(answer, 'turning point')).toEqual(['Coast Gazette', 'valleywire.example']);
  });

  it('quotes the newer article on a question about the current state, and shows its date', async () => {
    const answer = await ask(engine, 'is the accord in force yet?');
    expect(answer.answered).toBe(true);
    const newer = answer.excerpts.find((e) => e.quote.includes('entered into force'));
    expect(newer).toBeDefined();
    expect(answer.sources.find((s) => s.n === newer!.source)).toMatchObject({ title: 'Harbour Accord in force after councils ratify it', date: '2024-09-16' });
    expect(renderAnswerText(answer)).toContain('Coast Gazette, 2024-09-16');
  });

  it('never quotes a question the article asks (a heading, a rhetorical question) as the answer', async () => {
    // The question the article asks shares the most words with this one. Whether the scorer's own bar answers it
    // depends on the trained scorer; ANSWER_MIN_CONFIDENCE lowers the bar so several quotes are checked either way.
    const question = 'what does the accord change for the fishermen of bexley?';
    const answer = await ask(lowBar, question);
    expect(answer.answered).toBe(true);
    expect(answer.excerpts.length).toBeGreaterThan(1);
    for (const e of [...answer.excerpts, ...(await ask(engine, question)).excerpts]) expect(e.quote).not.toMatch(/\?["'”’)]*$/);
  });
});
