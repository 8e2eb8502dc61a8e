// Previous / Next under /sources: the custom id carries the page and the publisher filter, so the
// buttons work after a restart; the list message is updated in place (acknowledged at once).
import { SOURCES_PAGE, sourcesMessage } from '../commands/sources.js';
import type { Button } from './types.js';

export default {
  prefix: SOURCES_PAGE,
  async execute(interaction, [page, , ...filter], ctx) {
    // A ':' inside the filter split it: join it back.
    const publisher = filter.join(':') || null;
    await interaction.update(sourcesMessage(ctx, Number(page) || 0, publisher));
  },
} satisfies Button;
