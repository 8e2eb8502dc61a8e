// More: the next quotes and other sources that support the answer, shown only to the one who clicked.
// The click carries the stored answer's id; the question is read back from storage (or this process's
// memory when question text is not stored), so it works after a restart, and says so when it cannot.
import { MessageFlags } from 'discord.js';
import type { Answer } from '../../answer/types.js';
import { renderAnswerForDiscord } from '../../render/discord.js';
import { NO_PINGS, politeLimit } from '../replies.js';
import { MORE } from './answer-row.js';
import type { Button } from './types.js';

export const TOO_OLD_TO_EXPAND = 'This answer is too old to expand. Ask the question again for a fresh answer.';
export const NOTHING_MORE = "That's all the articles say about this: there are no more quotes that support it.";

/** How many quotes "More" looks through, as a multiple of the usual number. */
const MORE_FACTOR = 3;

export default {
  prefix: MORE,
  async execute(interaction, [id], ctx) {
    // More costs two answers: it counts against the clicker's rate limit like a question.
    const wait = ctx.answers.take(interaction.user.id, 'more');
    if (wait) {
      const { rateLimitCount, rateLimitWindowMs } = ctx.config;
      await interaction.reply({ content: politeLimit(wait, rateLimitCount, rateLimitWindowMs), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const question = Number.isSafeInteger(Number(id)) ? ctx.answers.questionOf(Number(id)) : null;
    if (!question) {
      await interaction.editReply({ content: TOO_OLD_TO_EXPAND, allowedMentions: NO_PINGS });
      return;
    }
    const usual = ctx.desk.maxExcerpts;
    const [shown, wider] = [await ctx.answers.expand(question, usual), await ctx.answers.expand(question, usual * MORE_FACTOR)];
    const extra = onlyNew(wider, shown);
    await interaction.editReply({ content: extra ? renderAnswerForDiscord(extra) : NOTHING_MORE, allowedMentions: NO_PINGS });
  },
} satisfies Button;

/** The wider answer without the quotes already shown (same article, overlapping text), sources renumbered. */
export function onlyNew(wider: Answer, shown: Answer): Answer | null {
  const fileOf = (a: Answer, n: number) => a.sources.find((s) => s.n === n)?.file;
  const seen = shown.excerpts.map((e) => ({ file: fileOf(shown, e.source), start: e.start, end: e.end }));
  const fresh = wider.excerpts.filter((e) => !seen.some((s) => s.file === fileOf(wider, e.source) && e.start < s.end && s.start < e.end));
  if (!wider.answered || !fresh.length) return null;
  const numbers = new Map<number, number>();
  for (const e of fresh) if (!numbers.has(e.source)) numbers.set(e.source, numbers.size + 1);
  return {
    ...wider,
    excerpts: fresh.map((e) => ({ ...e, source: numbers.get(e.source)! })),
    sources: [...numbers].map(([old, n]) => ({ ...wider.sources.find((s) => s.n === old)!, n })),
  };
}
