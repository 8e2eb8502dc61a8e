// Who may use the editor commands (/report, and /add, /remove): members with Manage Server, or with
// EDITOR_ROLE_ID when that is set. The commands are also registered with Manage Server as their default
// permission, so Discord hides them from others; this check is what actually decides, since a server can
// change who sees a command.
import { PermissionFlagsBits, type GuildMemberRoleManager, type Interaction } from 'discord.js';

/** Registered as the command's `default_member_permissions`. */
export const EDITOR_DEFAULT_PERMISSIONS = PermissionFlagsBits.ManageGuild;

export const NOT_AN_EDITOR = 'Only editors can do that: members with the **Manage Server** permission, or the editor role this bot is configured with.';

export function isEditor(interaction: Interaction, editorRoleId: string | null): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (!editorRoleId) return false;
  const roles = interaction.member.roles;
  // A cached member has a role manager; an uncached one arrives as the raw list of role ids.
  return Array.isArray(roles) ? roles.includes(editorRoleId) : (roles as GuildMemberRoleManager).cache.has(editorRoleId);
}
