// Slash and context-menu commands, routed through the command table; button clicks through the button table.
import { Events, MessageFlags } from 'discord.js';
import { buttonsByPrefix } from '../buttons/index.js';
import { parseCustomId } from '../buttons/types.js';
import { commandsByName } from '../commands/index.js';
import { RESTARTING } from '../lifecycle.js';
import { APOLOGY, NO_PINGS } from '../replies.js';
import { defineEvent } from './types.js';

export default defineEvent({
  name: Events.InteractionCreate,
  async execute(ctx, interaction) {
    let run: () => Promise<void>;
    let via: string;
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      const command = commandsByName.get(interaction.commandName);
      if (!command) return;
      run = () => command.execute(interaction, ctx);
      via = interaction.commandName;
    } else if (interaction.isButton()) {
      const { prefix, args } = parseCustomId(interaction.customId);
      const button = buttonsByPrefix.get(prefix);
      if (!button) return;
      run = () => button.execute(interaction, args, ctx);
      via = `button:${prefix}`;
    } else {
      return;
    }
    const ids = {
      via,
      interactionId: interaction.id,
      channelId: interaction.channelId ?? undefined,
      guildId: interaction.guildId ?? undefined,
      userId: interaction.user.id,
    };
    if (!ctx.inFlight.accepting) {
      await interaction.reply({ content: RESTARTING, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS }).catch(() => undefined);
      ctx.logger.info('refused_stopping', ids);
      return;
    }
    try {
      await run();
      ctx.logger.info('command', ids);
    } catch (error) {
      ctx.hooks.onError?.();
      ctx.logger.error('handler_failed', { ...ids, error: (error as Error).message });
      const reply = { content: APOLOGY, allowedMentions: NO_PINGS };
      await (interaction.deferred || interaction.replied ? interaction.editReply(reply) : interaction.reply({ ...reply, flags: MessageFlags.Ephemeral })).catch(
        () => undefined,
      );
    }
  },
});
