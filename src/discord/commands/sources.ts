// /sources [publisher]: every article the bot answers from, newest first with dates, a page at a time.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { renderSourceList, sourcePageCount, sourcesInOrder } from '../../render/discord.js';
import { customId } from '../buttons/types.js';
import type { BotContext } from '../context.js';
import { NO_PINGS } from '../replies.js';
import type { Command, CommandInteraction } from './types.js';

export const SOURCES_PAGE = 'sources';
/** The publisher filter rides in the buttons' custom ids (100 characters at most, with room for the rest). */
const MAX_FILTER_IN_ID = 80;

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the articles the bot answers from, newest first.')
  .addStringOption((o) =>
    o.setName('publisher').setDescription('Only articles from this publisher (part of the name is enough)').setMaxLength(MAX_FILTER_IN_ID),
  );

/** The message for one page: the list, and Previous / Next buttons when there is more than one page. */
export function sourcesMessage(ctx: BotContext, page: number, publisher: string | null) {
  const articles = ctx.desk.sources();
  const pages = sourcePageCount(sourcesInOrder(articles, publisher).length);
  const current = Math.min(Math.max(0, page), pages - 1);
  const filter = (publisher ?? '').slice(0, MAX_FILTER_IN_ID);
  const components =
    pages > 1
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId(customId(SOURCES_PAGE, current - 1, 'prev', filter))
              .setLabel('Previous')
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(current === 0),
            new ButtonBuilder()
              .setCustomId(customId(SOURCES_PAGE, current + 1, 'next', filter))
              .setLabel('Next')
              .setStyle(ButtonStyle.Secondary)
              .setDisabled(current >= pages - 1),
          ),
        ]
      : [];
  return { content: renderSourceList(articles, { page: current, publisher }), components, allowedMentions: NO_PINGS };
}

export async function execute(interaction: CommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const publisher = interaction.options.getString('publisher')?.trim() || null;
  await interaction.reply({ ...sourcesMessage(ctx, 0, publisher), flags: MessageFlags.Ephemeral });
}

export default { data, execute } satisfies Command;
