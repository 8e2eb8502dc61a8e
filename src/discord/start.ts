// Start-up of one bot process: settings → model → index → warm-up → Discord. Used by `npm start`
// (all shards of this process on one client) and by the end-to-end tests.
import { Events, Status, type Client, type ClientOptions } from 'discord.js';
import { StoryDesk } from '../desk.js';
import { FeedbackStore } from '../feedback/store.js';
import { explainLoginError, fatalCloseMessage, OnboardingError } from './onboarding.js';
import type { CoreConfig, DiscordConfig } from '../config.js';
import type { Embedder } from '../embed/embedder.js';
import type { Logger } from '../log.js';
import type { IndexWatcher } from '../store/reload.js';
import { attachStoryDesk, createDiscordClient, type ShardPlan } from './bot.js';
import { Metrics } from '../ops/metrics.js';
import { startHealthServer, type ShardHealth } from '../ops/health.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How often rows past the retention period are deleted while running. */
const RETENTION_SWEEP_MS = 3_600_000;

export interface RunningBot {
  client: Client;
  desk: StoryDesk;
  feedback: FeedbackStore;
  watcher: IndexWatcher;
  metrics: Metrics;
  health: Server | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  core: CoreConfig;
  discord: DiscordConfig;
  logger: Logger;
  /** An already-loaded model (tests share one). */
  embedder?: Embedder;
  rest?: ClientOptions['rest'];
  reloadPollMs?: number;
  /** The shards this process runs (all of them by default: one model and index serve every shard). */
  shards?: ShardPlan;
  /**
   * Called when Discord closes the connection for good (4014, 4004…): npm start prints the message and exits 1,
   * so a process manager shows the reason instead of a bot that stays up and never answers.
   */
  onFatal?(error: OnboardingError): void;
}

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { core, discord, logger } = options;
  const desk = await StoryDesk.open(core, options.embedder);
  // The first question pays for lazy initialisation inside the model runtime: pay it before going online.
  await desk.ask('warm-up question about the story');
  const { articles, chunks, model } = desk.stats();
  logger.info('index_loaded', { articles, chunks, model });

  const watcher = desk.watch(
    (stats) => logger.info('index_reloaded', { articles: stats.articles, chunks: stats.chunks, version: stats.version }),
    (error) => logger.warn('index_reload_failed', { error: error.message.split('\n')[0] }),
    options.reloadPollMs,
  );

  const metrics = new Metrics();
  const feedbackFailed = (error: Error, lost: number) => {
    metrics.recordFeedbackFailure(lost);
    logger.error('feedback_write_failed', { error: error.message, lost });
  };
  const feedback = FeedbackStore.open(discord.feedback, Date.now, { onWriteFailed: feedbackFailed });
  if (feedback.movedAside)
    logger.warn('feedback_moved_aside', {
      file: discord.feedback.file,
      movedTo: feedback.movedAside.to,
      reason: feedback.movedAside.reason,
      note: 'the file was damaged: kept under the new name, a new database started',
    });
  logger.info('feedback_opened', {
    schema: feedback.schemaVersion,
    storeQuestionText: discord.feedback.storeQuestionText,
    retentionDays: discord.feedback.retentionDays,
  });
  // Retention runs at start and then hourly, so a long-running bot keeps nothing past its time.
  const retention = setInterval(() => {
    try {
      const deleted = feedback.deleteExpired();
      if (deleted) logger.info('feedback_expired', { deleted });
    } catch (error) {
      logger.warn('feedback_expiry_failed', { error: (error as Error).message });
    }
  }, RETENTION_SWEEP_MS);
  retention.unref();

  const shards = options.shards ?? { ids: [0], count: 1 };
  const client = createDiscordClient(discord, options.rest, shards);
  const ctx = attachStoryDesk(client, desk, feedback, discord, logger, {
    onAnswer: (answer, via, ms) => metrics.recordAnswer(answer, via, ms),
    onError: () => metrics.recordError(),
    onRateLimited: (via) => metrics.recordRateLimited(via),
    onFeedbackFailed: feedbackFailed,
  });
  client.once(Events.ClientReady, (c) => logger.info('connected', { user: c.user.id, guilds: c.guilds.cache.size, shards: String(c.shard?.ids ?? [0]) }));
  client.on(Events.Error, (error) => logger.error('client_error', { error: error.message }));
  // Every change of a shard's connection is logged: a reconnect storm or a lost session shows in the logs.
  client.on(Events.ShardDisconnect, (event, shard) => {
    logger.warn('gateway_disconnect', { shard, code: event.code });
    // A close the bot cannot recover from (intent not enabled, token reset), at start or hours later.
    const fatal = fatalCloseMessage(event.code);
    if (fatal) {
      logger.error('gateway_fatal', { shard, code: event.code });
      options.onFatal?.(new OnboardingError(fatal, event.code));
    }
  });
  client.on(Events.ShardReconnecting, (shard) => logger.warn('gateway_reconnecting', { shard }));
  client.on(Events.ShardResume, (shard, replayed) => logger.info('gateway_resumed', { shard, replayed }));
  client.on(Events.ShardReady, (shard) => logger.info('gateway_ready', { shard }));
  const health =
    discord.healthPort === null
      ? null
      : await startHealthServer(
          discord.healthPort,
          {
            // Ready means connected now: isReady() stays true through reconnects, a shard's status does not.
            // (The index is loaded before the client logs in.)
            ready: () => client.isReady() && client.ws.shards.size === shards.ids.length && client.ws.shards.every((shard) => shard.status === Status.Ready),
            shards: () => shardHealth(client, shards),
            metrics: () => metrics.render(desk.stats(), shardHealth(client, shards)),
          },
          discord.healthHost,
        );
  if (health) logger.info('health_listening', { host: discord.healthHost, port: (health.address() as AddressInfo).port, shards: shards.ids.join(',') });
  try {
    await client.login(discord.token);
  } catch (error) {
    watcher.close();
    clearInterval(retention);
    health?.close();
    feedback.close();
    await client.destroy();
    throw explainLoginError(error, discord.apiUrl);
  }

  return {
    client,
    desk,
    feedback,
    watcher,
    metrics,
    health,
    /** Graceful: no new questions, answers in flight finished (up to DRAIN_TIMEOUT_SECONDS), then the gateway closed with 1000. */
    async stop() {
      const inFlight = ctx.inFlight.size;
      logger.info('draining', { inFlight, timeoutMs: discord.drainTimeoutMs });
      const drained = await ctx.inFlight.drain(discord.drainTimeoutMs);
      logger.info('drained', { ...drained });
      watcher.close();
      clearInterval(retention);
      health?.close();
      await client.destroy();
      feedback.close();
    },
  };
}

/** Each shard of this process: connected or not, and its heartbeat latency. */
function shardHealth(client: Client, shards: ShardPlan): ShardHealth[] {
  return shards.ids.map((id) => {
    const shard = client.ws.shards.get(id);
    const status = shard ? shard.status : Status.Idle;
    return { id, status: Status[status] ?? String(status), ready: status === Status.Ready, pingMs: shard?.ping ?? -1 };
  });
}
