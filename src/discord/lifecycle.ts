// Graceful stop: on SIGTERM/SIGINT no new questions are taken, every answer already in flight is finished and
// posted, and a deferred interaction still unanswered at the deadline is told to ask again, not left "thinking…".
import { MessageFlags, type Interaction } from 'discord.js';
import { NO_PINGS } from './replies.js';

export const RESTARTING = 'Story Desk is restarting. Please ask again in a minute.';

export interface DrainResult {
  /** Handlers that finished while draining. */
  finished: number;
  /** Handlers still running at the deadline. */
  abandoned: number;
  /** Deferred or pending interactions told to ask again. */
  toldToRetry: number;
}

export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private readonly interactions = new Set<Interaction>();
  private stopping = false;

  /** False once a stop has begun: handlers answer new questions with RESTARTING instead. */
  get accepting(): boolean {
    return !this.stopping;
  }

  get size(): number {
    return this.running.size;
  }

  /** Runs an event handler, remembering it (and its interaction, if any) until it settles. */
  run(args: unknown[], handler: () => Promise<void>): void {
    const interaction = args.find(isInteraction);
    if (interaction) this.interactions.add(interaction);
    const task: Promise<void> = handler()
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(task);
        if (interaction) this.interactions.delete(interaction);
      });
    this.running.add(task);
  }

  /** Stops taking questions and waits up to `timeoutMs` for those in flight; then answers the interactions left. */
  async drain(timeoutMs: number): Promise<DrainResult> {
    this.stopping = true;
    const before = this.running.size;
    const deadline = Date.now() + timeoutMs;
    // Handlers started while draining (to say RESTARTING) join the set: wait for the set, not a snapshot.
    while (this.running.size && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
    }
    const abandoned = this.running.size;
    let toldToRetry = 0;
    await Promise.allSettled(
      [...this.interactions].map(async (interaction) => {
        if (!interaction.isRepliable() || interaction.replied) return;
        if (interaction.deferred) await interaction.editReply({ content: RESTARTING, allowedMentions: NO_PINGS });
        else await interaction.reply({ content: RESTARTING, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
        toldToRetry++;
      }),
    );
    return { finished: Math.max(0, before - abandoned), abandoned, toldToRetry };
  }
}

function isInteraction(value: unknown): value is Interaction {
  return typeof value === 'object' && value !== null && 'isRepliable' in value && typeof (value as Interaction).isRepliable === 'function';
}
