// Slash and context-menu commands, routed through the command table.
import { Events, MessageFlags } from 'discord.js';
import { commandsByName } from '../commands/index.js';
import { APOLOGY, NO_PINGS } from '../replies.js';
import { defineEvent } from './types.js';

export default defineEvent({
  name: Events.InteractionCreate,
  async execute(ctx, interaction) {
    if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand()) return;
    const command = commandsByName.get(interaction.commandName);
    if (!command) return;
    const ids = { via: interaction.commandName, interactionId: interaction.id, channelId: interaction.channelId ?? undefined, guildId: interaction.guildId ?? undefined, userId: interaction.user.id };
    try {
      await command.execute(interaction, ctx);
      ctx.logger.info('command', ids);
    } catch (error) {
      ctx.hooks.onError?.();
      ctx.logger.error('handler_failed', { ...ids, error: (error as Error).message });
      const reply = { content: APOLOGY, allowedMentions: NO_PINGS };
      await (interaction.deferred || interaction.replied ? interaction.editReply(reply) : interaction.reply({ ...reply, flags: MessageFlags.Ephemeral })).catch(() => undefined);
    }
  },
});
