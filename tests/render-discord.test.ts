import { describe, expect, it } from 'vitest';
import type { Answer } from '../src/answer/types.js';
import { withoutMarkup } from '../src/discord/replies.js';
import { escapeDiscord, renderAnswerForDiscord, renderSourceList } from '../src/render/discord.js';

function answerWith(quotes: string[], sources: Partial<Answer['sources'][number]>[]): Answer {
  return {
    question: 'q',
    answered: true,
    status: 'answered',
    message: null,
    confidence: 0.9,
    suggestions: [],
    lowConfidence: false,
    readAs: null,
    timings: { totalMs: 1, embedMs: 0, denseMs: 0, lexicalMs: 0, quotesMs: 0 },
    excerpts: quotes.map((quote, i) => ({
      quote,
      source: (i % sources.length) + 1,
      alsoIn: [],
      score: 1 - i / 10,
      start: 0,
      end: quote.length,
      trimmedStart: i > 0,
      trimmedEnd: false,
    })),
    sources: sources.map((s, i) => ({
      n: i + 1,
      title: `Title ${i + 1}`,
      publisher: 'Example News',
      date: '2024-06-19',
      url: `https://example.com/${i + 1}`,
      authors: [],
      file: `a${i}.md`,
      ...s,
    })),
  };
}

describe('renderAnswerForDiscord', () => {
  it('renders block quotes with [n] markers and masked links that do not unfurl', () => {
    const content = renderAnswerForDiscord(answerWith(['Putin gifted Kim a luxury car.', 'Kim said ties had risen.'], [{}, { url: null, publisher: null }]));
    expect(content).toBe(
      '> “Putin gifted Kim a luxury car.” [1]\n\n> “…Kim said ties had risen.” [2]\n\n**Sources**\n[1] [Title 1](<https://example.com/1#:~:text=Putin%20gifted%20Kim%20a%20luxury%20car.>) — Example News, 2024-06-19\n[2] Title 2 — 2024-06-19',
    );
  });

  it('trims excerpts, never citations, to fit 2000 characters even with huge quotes and metadata', () => {
    const long = 'The treaty was signed in Pyongyang. '.repeat(200);
    const answer = answerWith([long, long, long], [{ title: 'T'.repeat(400) }, { url: `https://example.com/${'x'.repeat(3000)}` }, {}]);
    const content = renderAnswerForDiscord(answer);
    expect(content.length).toBeLessThanOrEqual(2000);
    for (const n of [1, 2, 3]) {
      expect(content).toContain(`” [${n}]`);
      expect(content).toMatch(new RegExp(`^\\[${n}\\] `, 'm'));
    }
    expect(content).toContain('…” [1]');
  });

  it('drops whole excerpts (and only their sources) when the citations leave too little room', () => {
    const sources = Array.from({ length: 3 }, (_, i) => ({ title: `${'Long title '.repeat(18)}${i}`, url: `https://example.com/${'y'.repeat(450)}${i}` }));
    const content = renderAnswerForDiscord(answerWith(['A first quote that answers. '.repeat(10), 'Second one. '.repeat(10), 'Third. '.repeat(10)], sources));
    expect(content.length).toBeLessThanOrEqual(2000);
    const cited = [...content.matchAll(/” \[(\d)\]/g)].map((m) => m[1]);
    const listed = [...content.matchAll(/^\[(\d)\] /gm)].map((m) => m[1]);
    expect(cited).toContain('1');
    expect(listed).toEqual([...new Set(cited)]);
  });

  it('heads the reply with the question (escaped, shortened), says how it was read, and says low confidence in words', () => {
    const question = `What did **Putin** give <@123> @everyone? ${'and more '.repeat(40)}`;
    const answer = { ...answerWith(['Putin gifted Kim a luxury car.'], [{}]), lowConfidence: true, readAs: 'what did Putin give Kim' };
    const content = renderAnswerForDiscord(answer, { heading: question });
    const [heading, readAs, low, quote] = content.split('\n');
    expect(heading).toMatch(/^\*\*Q:\*\* What did \\\*\\\*Putin\\\*\\\* give \\<@123> \\@everyone\? and more .*…$/);
    expect(heading!.length).toBeLessThan(260);
    expect(readAs).toBe('*Read as: what did Putin give Kim*');
    expect(low).toBe('The articles only touch on this:');
    expect(quote).toBe('> “Putin gifted Kim a luxury car.” [1]');
    const declined = renderAnswerForDiscord(
      { ...answer, answered: false, status: 'not-covered', message: "The articles don't say.", excerpts: [], sources: [] },
      { heading: 'How do I bake bread?' },
    );
    expect(declined).toBe("**Q:** How do I bake bread?\n*Read as: what did Putin give Kim*\nThe articles don't say.");
  });

  it('links each citation to its quote with a text fragment; a URL with a fragment stays as it is', () => {
    const quote = 'Kim Jong-un, North Korea’s leader, said the “comprehensive strategic partnership” treaty was peaceful, defensive & lasting.';
    const content = renderAnswerForDiscord(answerWith([quote, 'Kim said ties had risen.'], [{}, { url: 'https://example.com/2#section' }]));
    const link = /\[Title 1\]\(<([^>]+)>\)/.exec(content)![1]!;
    const [, directive] = link.split('#:~:text=');
    const [start, end] = directive!.split(',').map(decodeURIComponent);
    expect(quote.startsWith(start!)).toBe(true);
    expect(quote.endsWith(end!)).toBe(true);
    expect(start).toBe('Kim Jong-un, North Korea’s');
    expect(end).toBe('peaceful, defensive & lasting.');
    // The spec's delimiters are encoded inside a term: '-', ',' and '&'.
    expect(directive).toContain('Jong%2Dun');
    expect(directive).not.toMatch(/[-&]/);
    expect(directive!.split(',')).toHaveLength(2);
    expect(content).toContain('[2] [Title 2](<https://example.com/2#section>)');
  });

  it('escapes markdown and mentions in quoted text', () => {
    expect(escapeDiscord('**bold** @everyone <@123> [x](http://a) # h')).toBe('\\*\\*bold\\*\\* \\@everyone \\<@123> \\[x\\](<http://a>) # h');
  });
});

describe('renderSourceList', () => {
  it('shows one page at a time, newest first with dates, numbered across pages, within 2000 characters', () => {
    const articles = Array.from({ length: 25 }, (_, i) => ({
      title: `Article ${i}`,
      publisher: i % 5 ? 'Pub' : 'Other Wire',
      date: `2024-06-${String(i + 1).padStart(2, '0')}`,
      url: `https://example.com/${'x'.repeat(400)}${i}`,
    }));
    const first = renderSourceList(articles);
    expect(first.length).toBeLessThanOrEqual(2000);
    expect(first.split('\n')[0]).toBe('**Articles I answer from** (25, newest first) · page 1 of 3');
    expect(first.split('\n')[1]).toMatch(/^\[1\] (\[)?Article 24\b.* — Pub, 2024-06-25$/);
    const last = renderSourceList(articles, { page: 9 });
    expect(last.split('\n')[0]).toContain('page 3 of 3');
    expect(
      last
        .split('\n')
        .slice(1)
        .map((l) => l.match(/^\[(\d+)\]/)![1]),
    ).toEqual(['21', '22', '23', '24', '25']);
    const filtered = renderSourceList(articles, { publisher: 'other' });
    expect(filtered.split('\n')[0]).toBe('**Articles I answer from** from publishers matching “other” (5, newest first)');
    expect(renderSourceList(articles, { publisher: 'nobody' })).toMatch(/^No articles from publishers matching “nobody”/);
    expect(renderSourceList(articles.slice(0, 2).map((a) => ({ ...a, url: 'https://example.com/a' })))).toBe(
      '**Articles I answer from** (2, newest first)\n[1] [Article 1](<https://example.com/a>) — Pub, 2024-06-02\n[2] [Article 0](<https://example.com/a>) — Other Wire, 2024-06-01',
    );
  });
});

describe('withoutMarkup (a message as asked)', () => {
  it('drops mentions, custom emoji, command mentions and server links, and reads a timestamp as the date Discord shows', () => {
    expect(withoutMarkup('what did <@123> say <:thinking:123456789012345678> <a:dance:1> </ask:42> <id:customize> @everyone').trim()).toBe('what did   say');
    expect(withoutMarkup('what was signed on <t:1718755200:D>?')).toBe('what was signed on  June 19, 2024 ?');
    expect(withoutMarkup('on <t:1718755200>')).toBe('on  June 19, 2024 ');
    // A time no calendar holds is dropped, not shown as "Invalid Date".
    expect(withoutMarkup('on <t:9999999999999:R>').trim()).toBe('on');
    // The bot's name typed after an "@" where no mention was made, in any case, its words apart or together.
    for (const typed of ['@StoryDesk who signed it', '@story desk who signed it', '@storydesk who signed it', '@Story_Desk who signed it'])
      expect(withoutMarkup(typed, ['StoryDesk', null]).trim(), typed).toBe('who signed it');
    expect(withoutMarkup('did @story say it', ['StoryDesk'])).toBe('did @story say it');
    expect(withoutMarkup("@Kim's Bot (2) who", ["Kim's Bot (2)"]).trim()).toBe('who');
  });

  it('reads formatting as the reader saw it: the words of bold, italics, spoilers, code, quotes, headings and masked links', () => {
    expect(withoutMarkup('**what** did kim call _putin_?')).toBe('what did kim call putin?');
    expect(withoutMarkup('||who signed it|| ~~when~~ `article 4`')).toBe('who signed it when article 4');
    expect(withoutMarkup('> what did kim say\n# and putin')).toBe('what did kim say\nand putin');
    expect(withoutMarkup('what does [this report](https://example.com/a) say')).toBe('what does this report say');
    // Marks inside a word or between digits are no formatting.
    expect(withoutMarkup('is 2*3 in snake_case')).toBe('is 2*3 in snake_case');
  });
});
