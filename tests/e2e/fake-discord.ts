// A fake Discord for end-to-end tests: REST and gateway on 127.0.0.1, enough of both for the real
// discord.js client to log in, receive messages and interactions, and reply. Records every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeGuild {
  id: string;
  name?: string;
  channels: { id: string; name?: string }[];
  /** Public threads, announced in GUILD_CREATE as Discord does for active threads. */
  threads?: { id: string; parentId: string; name?: string }[];
  /** Roles besides @everyone (no permissions of their own). */
  roles?: { id: string; name?: string }[];
}

/** A message the bot sent, as a test points at it (to reply to it, or to click its buttons). */
export interface FakeMessageRef {
  id: string;
  author: FakeUser;
  content?: string;
  components?: unknown[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  at: number;
  /** The id of the message a successful create made (POST /channels/:id/messages). */
  createdId?: string;
}

interface Fault {
  match: (r: RecordedRequest) => boolean;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do the request (store the message), then answer with the failure anyway: Discord under strain does this. */
  afterDoing?: boolean;
}

interface Session {
  socket: WebSocket;
  id: string;
  seq: number;
  shard: [number, number];
  identified: boolean;
  /** Dispatches sent in this gateway session, replayed after a RESUME as Discord does. */
  log: { s: number; payload: object }[];
}

/** Dispatches kept per session for RESUME: a reconnect under load must not lose a question. */
const REPLAY_LOG = 5000;

const EPOCH = 1420070400000n;
let counter = 0n;
export function snowflake(): string {
  return String(((BigInt(Date.now()) - EPOCH) << 22n) + counter++);
}

/** A snowflake that `(id >> 22) % count === shard` places on the given shard. */
export function snowflakeForShard(shard: number, count: number): string {
  for (;;) {
    const id = snowflake();
    if (Number((BigInt(id) >> 22n) % BigInt(count)) === shard) return id;
    counter += 1n << 22n; // step the timestamp part
  }
}

/** Matchers over the recorded requests: the bot's reply to a message, an interaction's first response, its edits. */
export const replyTo = (messageId: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path.endsWith('/messages') && r.body?.message_reference?.message_id === messageId;
export const callbackOf = (i: { id: string; token: string }) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === `/interactions/${i.id}/${i.token}/callback`;
export const editOf = (i: { token: string }) => (r: RecordedRequest) => r.method === 'PATCH' && r.path.includes(i.token);
/** The custom ids of the buttons in a message body. */
export const customIds = (body: any): string[] => (body?.components ?? []).flatMap((row: any) => row.components.map((c: any) => c.custom_id));

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Files served as Discord's CDN would (GET /cdn/attachments/<channel>/<id>/<name>), with no bot token. */
  private readonly attachments = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly identifies: { shard?: [number, number]; intents?: number }[] = [];
  resumeCount = 0;
  readyCount = 0;
  /** Close codes of gateway sockets the client closed itself (1000: a clean shutdown). */
  readonly clientCloseCodes: number[] = [];
  /** Requests refused with 400 because Discord would refuse them (over a limit, malformed commands). */
  readonly refused: { request: RecordedRequest; problem: string }[] = [];
  /** Messages actually posted to channels (a create repeated with an enforced nonce is not posted again). */
  readonly posted: RecordedRequest[] = [];
  /** Nonces of created messages per channel, as Discord remembers them for enforce_nonce (a few minutes). */
  private readonly nonces = new Map<string, { id: string }>();
  /** Registered commands per scope ('global' or a guild id), as a PUT leaves them. */
  readonly commands = new Map<string, object[]>();
  readonly botUser: Required<FakeUser> & { discriminator: string; global_name: null; avatar: null };
  private readonly faults: Fault[] = [];
  private held: (() => void)[] | null = null;
  private readonly sessions = new Set<Session>();
  /** Identified gateway sessions by session_id, connected or waiting to be resumed. */
  private readonly resumable = new Map<string, Session>();
  private readonly waiters: (() => void)[] = [];
  private http!: Server;
  private wss!: WebSocketServer;
  private port = 0;
  private closing = false;
  /** When set, only this bot token is accepted: REST answers 401 and IDENTIFY is closed with 4004 otherwise. */
  token: string | null = null;
  /** Intents Discord has not enabled for the application (privileged ones): IDENTIFY asking for them is closed with 4014. */
  disallowedIntents = 0;

  private constructor(
    readonly guilds: FakeGuild[],
    private readonly heartbeatMs: number,
    readonly shardCount: number,
  ) {
    this.botUser = { id: snowflake(), username: 'StoryDesk', bot: true, discriminator: '0', global_name: null, avatar: null };
  }

  static async start(options: { guilds?: FakeGuild[]; heartbeatMs?: number; shards?: number } = {}): Promise<FakeDiscord> {
    const guilds = options.guilds ?? [{ id: snowflake(), name: 'Newsroom', channels: [{ id: snowflake(), name: 'general' }] }];
    const fake = new FakeDiscord(guilds, options.heartbeatMs ?? 250, options.shards ?? 1);
    await fake.listen();
    return fake;
  }

  get applicationId(): string {
    return this.botUser.id;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Stands in for https://cdn.discordapp.com (DISCORD_CDN_URL). */
  get cdnUrl(): string {
    return `http://127.0.0.1:${this.port}/cdn`;
  }

  /**
   * An uploaded file, as an interaction's attachment option carries it: the option to send and the
   * `resolved` entry, with the URL on Discord's CDN that a bot maps to DISCORD_CDN_URL.
   */
  attachment(options: { channelId: string; optionName: string; name: string; contentType: string; bytes: Buffer }): {
    option: { name: string; type: number; value: string };
    resolved: { attachments: Record<string, object> };
  } {
    const id = snowflake();
    const path = `/attachments/${options.channelId}/${id}/${options.name}`;
    this.attachments.set(path, { bytes: options.bytes, contentType: options.contentType });
    const url = `https://cdn.discordapp.com${path}?ex=0&is=0&hm=0`;
    return {
      option: { name: options.optionName, type: 11, value: id },
      resolved: {
        attachments: {
          [id]: {
            id,
            filename: options.name,
            size: options.bytes.length,
            url,
            proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
            content_type: options.contentType,
          },
        },
      },
    };
  }

  get identifyCount(): number {
    return this.identifies.length;
  }

  /** The next request matching gets this response instead (once per call). */
  failNext(match: (r: RecordedRequest) => boolean, response: { status: number; body?: unknown; headers?: Record<string, string>; afterDoing?: boolean }): void {
    this.faults.push({ match, ...response });
  }

  requestsMatching(match: (r: RecordedRequest) => boolean): RecordedRequest[] {
    return this.requests.filter(match);
  }

  /** Resolves with the first request (already made or still to come) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.find(match), timeoutMs, 'request');
  }

  waitForReady(count = 1, timeoutMs = 15_000): Promise<void> {
    return this.waitFor(() => (this.readyCount >= count ? true : undefined), timeoutMs, `${count} READY/RESUMED`).then(() => undefined);
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(listener);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`fake Discord: timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = () => {
        if (check()) this.waiters.splice(this.waiters.indexOf(listener), 1);
      };
      if (!check()) this.waiters.push(listener);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  // ---------- gateway events a test sends ----------

  /** A message from a user; with `replyTo`, a reply to that message (type 19, with the referenced message). */
  sendMessage(options: { guildId?: string; channelId: string; author: FakeUser; content: string; mentions?: FakeUser[]; replyTo?: FakeMessageRef }): string {
    const id = snowflake();
    const base = this.messagePayload(id, options.channelId, options.guildId, options.author, options.content, options.mentions ?? []);
    const reply = options.replyTo
      ? {
          type: 19,
          message_reference: {
            type: 0,
            message_id: options.replyTo.id,
            channel_id: options.channelId,
            ...(options.guildId ? { guild_id: options.guildId } : {}),
          },
          referenced_message: this.messagePayload(
            options.replyTo.id,
            options.channelId,
            options.guildId,
            options.replyTo.author,
            options.replyTo.content ?? '',
            [],
          ),
        }
      : {};
    const message = { ...base, ...reply };
    this.dispatch('MESSAGE_CREATE', options.guildId ? message : { ...message, channel_type: 1 }, options.guildId);
    return id;
  }

  /** A click on a button of a message the bot sent (a MESSAGE_COMPONENT interaction). */
  clickButton(options: { guildId?: string; channelId: string; user: FakeUser; customId: string; message: FakeMessageRef }): { id: string; token: string } {
    const message = {
      ...this.messagePayload(options.message.id, options.channelId, options.guildId, options.message.author, options.message.content ?? '', []),
      components: options.message.components ?? [],
    };
    return this.dispatchInteraction({ ...options, type: 3, data: { custom_id: options.customId, component_type: 2 }, extra: { message } });
  }

  sendInteraction(options: {
    guildId?: string;
    channelId: string;
    user: FakeUser;
    commandName: string;
    options?: { name: string; type: number; value: unknown }[];
    /** Resolved objects the options point to (attachments from `attachment()`). */
    resolved?: object;
    targetMessage?: { id: string; content: string; author: FakeUser };
    /** The member's permission bits (default '8', administrator) and roles, for editor-only commands. */
    permissions?: string;
    roles?: string[];
    /** 11 for a public thread; default 0 (text channel) in a guild, 1 in a DM. */
    channelType?: number;
  }): { id: string; token: string } {
    const data = options.targetMessage
      ? {
          id: snowflake(),
          name: options.commandName,
          type: 3,
          target_id: options.targetMessage.id,
          resolved: {
            messages: {
              [options.targetMessage.id]: this.messagePayload(
                options.targetMessage.id,
                options.channelId,
                options.guildId,
                options.targetMessage.author,
                options.targetMessage.content,
                [],
              ),
            },
          },
        }
      : { id: snowflake(), name: options.commandName, type: 1, options: options.options ?? [], ...(options.resolved ? { resolved: options.resolved } : {}) };
    return this.dispatchInteraction({ ...options, type: 2, data });
  }

  private dispatchInteraction(options: {
    guildId?: string;
    channelId: string;
    user: FakeUser;
    type: number;
    data: object;
    permissions?: string;
    roles?: string[];
    channelType?: number;
    extra?: object;
  }): { id: string; token: string } {
    const id = snowflake();
    const token = `token-${id}`;
    const user = this.userPayload(options.user);
    const permissions = options.permissions ?? '8';
    const payload = {
      id,
      application_id: this.applicationId,
      type: options.type,
      data: options.data,
      ...options.extra,
      channel_id: options.channelId,
      channel: { id: options.channelId, type: options.channelType ?? (options.guildId ? 0 : 1) },
      token,
      version: 1,
      app_permissions: '8',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      context: options.guildId ? 0 : 1,
      ...(options.guildId
        ? {
            guild_id: options.guildId,
            guild_locale: 'en-US',
            member: { user, roles: options.roles ?? [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
          }
        : { user }),
    };
    this.dispatch('INTERACTION_CREATE', payload, options.guildId);
    return { id, token };
  }

  /** Closes every live gateway socket with a close code (4000: resumable; 4009 and others: session gone). */
  closeGateway(code = 4000): void {
    for (const session of this.sessions) {
      this.sessions.delete(session);
      // Codes the client may resume after keep the session's events for replay; others end it.
      if (code !== 4000) this.resumable.delete(session.id);
      session.socket.close(code, 'fake close');
    }
  }

  /** While held, an IDENTIFY gets no READY: a gateway slow to let the bot back in. */
  holdReady(): void {
    this.held ??= [];
  }

  releaseReady(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const identify of held) identify();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---------- internals ----------

  private async listen(): Promise<void> {
    this.http = createServer((req, res) => void this.handleRest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  private shardOf(guildId: string | undefined, count: number): number {
    return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
  }

  /** To every live or resumable session of the guild's shard: one whose socket dropped gets it on RESUME. */
  private dispatch(type: string, data: unknown, guildId?: string): void {
    for (const session of this.resumable.values()) {
      if (this.shardOf(guildId, session.shard[1]) !== session.shard[0]) continue;
      const payload = { op: 0, t: type, s: ++session.seq, d: data };
      session.log.push({ s: payload.s, payload });
      if (session.log.length > REPLAY_LOG) session.log.shift();
      this.send(session, payload);
    }
  }

  private send(session: Session, payload: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  private handleSocket(socket: WebSocket): void {
    const session: Session = { socket, id: snowflake(), seq: 0, shard: [0, 1], identified: false, log: [] };
    this.sessions.add(session);
    socket.on('close', (code) => {
      // A socket still in the set was closed by the client, not by closeGateway()/close().
      if (this.sessions.delete(session) && !this.closing) this.clientCloseCodes.push(code);
    });
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: any };
      if (packet.op === 1) this.send(session, { op: 11 });
      else if (packet.op === 2) this.identify(session, packet.d);
      else if (packet.op === 6) this.resume(session, packet.d);
    });
    this.send(session, { op: 10, d: { heartbeat_interval: this.heartbeatMs } });
  }

  /** RESUME: the new socket takes over the session and gets every dispatch after the client's last seq. */
  private resume(session: Session, d: { session_id: string; seq: number | null }): void {
    const old = this.resumable.get(d.session_id);
    if (!old) {
      this.send(session, { op: 9, d: false }); // invalid session: the client identifies again
      return;
    }
    Object.assign(session, { id: old.id, shard: old.shard, seq: old.seq, log: old.log, identified: true });
    this.resumable.set(session.id, session);
    for (const entry of old.log) if (entry.s > (d.seq ?? 0)) this.send(session, entry.payload);
    this.resumeCount++;
    this.send(session, { op: 0, t: 'RESUMED', s: ++session.seq, d: {} });
    this.readyCount++;
    this.notify();
  }

  private identify(session: Session, d: { shard?: [number, number]; intents?: number; token?: string }): void {
    if (this.held) return void this.held.push(() => this.identify(session, d));
    if (this.token !== null && d.token?.replace(/^Bot /, '') !== this.token) return void session.socket.close(4004, 'Authentication failed.');
    if ((d.intents ?? 0) & this.disallowedIntents) return void session.socket.close(4014, 'Disallowed intent(s).');
    session.identified = true;
    this.resumable.set(session.id, session);
    session.shard = d.shard ?? [0, 1];
    this.identifies.push({ shard: d.shard, intents: d.intents });
    const guilds = this.guilds.filter((g) => this.shardOf(g.id, session.shard[1]) === session.shard[0]);
    this.send(session, {
      op: 0,
      t: 'READY',
      s: ++session.seq,
      d: {
        v: 10,
        user: { ...this.botUser, verified: true, flags: 0 },
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.gatewayUrl(),
        application: { id: this.applicationId, flags: 0 },
        shard: session.shard,
        private_channels: [],
      },
    });
    for (const guild of guilds) this.send(session, { op: 0, t: 'GUILD_CREATE', s: ++session.seq, d: this.guildPayload(guild) });
    this.readyCount++;
    this.notify();
  }

  private gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  private guildPayload(guild: FakeGuild) {
    const now = new Date().toISOString();
    return {
      id: guild.id,
      name: guild.name ?? 'Guild',
      icon: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      features: [],
      roles: [
        { id: guild.id, name: '@everyone', permissions: '8', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
        ...(guild.roles ?? []).map((r, i) => ({
          id: r.id,
          name: r.name ?? `role-${i}`,
          permissions: '0',
          position: i + 1,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        })),
      ],
      emojis: [],
      stickers: [],
      members: [{ user: this.botUser, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
      channels: guild.channels.map((c, position) => ({
        id: c.id,
        type: 0,
        guild_id: guild.id,
        name: c.name ?? `channel-${position}`,
        position,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
      })),
      threads: (guild.threads ?? []).map((t) => ({
        id: t.id,
        type: 11,
        guild_id: guild.id,
        parent_id: t.parentId,
        name: t.name ?? 'thread',
        owner_id: this.botUser.id,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: now, locked: false },
      })),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      member_count: 2,
      joined_at: now,
      large: false,
      unavailable: false,
    };
  }

  private userPayload(user: FakeUser) {
    return { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null, bot: user.bot ?? false };
  }

  private messagePayload(id: string, channelId: string, guildId: string | undefined, author: FakeUser, content: string, mentions: FakeUser[]) {
    return {
      id,
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : {}),
      author: this.userPayload(author),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: mentions.map((u) => this.userPayload(u)),
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const raw = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts)));
    });
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body: parseBody(raw, req.headers['content-type']),
      at: Date.now(),
    };
    this.requests.push(request);
    if (url.pathname.startsWith('/cdn/')) {
      this.notify();
      const file = this.attachments.get(url.pathname.slice('/cdn'.length));
      if (!file) return json(res, 404, { message: 'no such attachment' });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) }).end(file.bytes);
      return;
    }
    if (this.token !== null && req.headers.authorization !== `Bot ${this.token}` && !path.startsWith('/interactions/') && !path.startsWith('/webhooks/')) {
      this.notify();
      return json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    this.notify();

    const fault = this.faults.findIndex((f) => f.match(request));
    if (fault >= 0) {
      const { status, body, headers, afterDoing } = this.faults.splice(fault, 1)[0]!;
      if (afterDoing) await this.route(request, url, null);
      return json(res, status, body ?? { message: 'fake failure', code: 0 }, headers);
    }
    await this.route(request, url, res);
  }

  /** Does what Discord does with the request; answers it unless `res` is null (the answer is a fault's). */
  private async route(request: RecordedRequest, url: URL, res: ServerResponse | null): Promise<void> {
    const path = request.path;
    const m = request.method;
    // What Discord would refuse with 400 is refused here too, so a test cannot pass on a request Discord rejects.
    const message =
      m === 'POST' && path.endsWith('/callback') ? request.body?.data : /\/(messages|webhooks)\b/.test(path) && m !== 'GET' ? request.body : undefined;
    const invalid = message ? messageProblem(message) : m === 'PUT' && path.endsWith('/commands') ? commandsProblem(request.body) : null;
    if (invalid) this.refused.push({ request, problem: invalid });
    if (invalid) return json(res, 400, { message: 'Invalid Form Body', code: 50035, errors: invalid });
    if (m === 'GET' && path === '/gateway/bot') {
      return json(res, 200, {
        url: this.gatewayUrl(),
        shards: this.shardCount,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
      });
    }
    if (m === 'GET' && path === '/gateway') return json(res, 200, { url: this.gatewayUrl() });
    if (m === 'GET' && path === '/users/@me') return json(res, 200, this.botUser);
    if (m === 'POST' && /^\/channels\/\d+\/typing$/.test(path)) return empty(res);
    const created = m === 'POST' ? path.match(/^\/channels\/(\d+)\/messages$/) : null;
    if (created) {
      // enforce_nonce: a create with a nonce seen in this channel returns the message already posted.
      const nonceKey = request.body?.enforce_nonce && request.body?.nonce !== undefined ? `${created[1]}:${request.body.nonce}` : null;
      const earlier = nonceKey ? this.nonces.get(nonceKey) : undefined;
      if (earlier) {
        request.createdId = earlier.id;
        return json(res, 200, earlier);
      }
      request.createdId = snowflake();
      const message = {
        ...this.messagePayload(request.createdId, created[1]!, undefined, this.botUser, request.body?.content ?? '', []),
        message_reference: request.body?.message_reference,
        components: request.body?.components ?? [],
        nonce: request.body?.nonce,
      };
      if (nonceKey) this.nonces.set(nonceKey, message);
      this.posted.push(request);
      return json(res, 200, message);
    }
    if (m === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      if (url.searchParams.get('with_response') === 'true')
        return json(res, 200, { interaction: { id: path.split('/')[2], type: 2 }, resource: { type: request.body?.type } });
      return empty(res);
    }
    if ((m === 'PATCH' || m === 'POST') && /^\/webhooks\/\d+\/[^/]+(?:\/messages\/.+)?$/.test(path)) {
      return json(res, 200, {
        ...this.messagePayload(snowflake(), '0', undefined, this.botUser, request.body?.content ?? '', []),
        components: request.body?.components ?? [],
      });
    }
    const commands = m === 'PUT' ? path.match(/^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/) : null;
    if (commands) {
      // A PUT replaces the scope's whole set; an unchanged command keeps its id.
      const scope = commands[1] ?? 'global';
      const before = new Map((this.commands.get(scope) ?? []).map((c: any) => [c.name, c.id]));
      const registered = (request.body as any[]).map((c) => ({
        ...c,
        id: before.get(c.name) ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
      }));
      this.commands.set(scope, registered);
      return json(res, 200, registered);
    }
    return json(res, 404, { message: 'Unknown route (fake Discord)', code: 0 });
  }
}

/** Discord's documented limits on a message body; null when it would be accepted. */
function messageProblem(body: any): string | null {
  if (typeof body?.content === 'string' && body.content.length > 2000) return `content: ${body.content.length} > 2000 characters`;
  const embeds: any[] = body?.embeds ?? [];
  if (embeds.length > 10) return 'more than 10 embeds';
  let total = 0;
  for (const e of embeds) {
    const fields: any[] = e.fields ?? [];
    const parts: [string | undefined, number][] = [
      [e.title, 256],
      [e.description, 4096],
      [e.footer?.text, 2048],
      [e.author?.name, 256],
      ...fields.flatMap((f): [string, number][] => [
        [f.name, 256],
        [f.value, 1024],
      ]),
    ];
    if (fields.length > 25) return 'more than 25 embed fields';
    for (const [text, max] of parts) {
      if ((text?.length ?? 0) > max) return `embed text of ${text!.length} > ${max} characters`;
      total += text?.length ?? 0;
    }
  }
  if (total > 6000) return `embeds total ${total} > 6000 characters`;
  return componentsProblem(body?.components);
}

/** Discord's limits on message components: up to 5 rows of up to 5 buttons, custom ids up to 100 characters. */
function componentsProblem(rows: any[] | undefined): string | null {
  if (rows === undefined) return null;
  if (!Array.isArray(rows) || rows.length > 5) return 'components: more than 5 action rows';
  const ids = new Set<string>();
  for (const row of rows) {
    if (row?.type !== 1 || !Array.isArray(row.components) || !row.components.length || row.components.length > 5)
      return 'components: an action row holds 1 to 5 components';
    for (const c of row.components) {
      if (c.type !== 2) continue;
      if (c.style === 5 ? !c.url : !(typeof c.custom_id === 'string' && c.custom_id.length >= 1 && c.custom_id.length <= 100))
        return `button custom_id "${c.custom_id}"`;
      if (c.custom_id && ids.has(c.custom_id)) return `duplicate custom_id "${c.custom_id}"`;
      if (c.custom_id) ids.add(c.custom_id);
      if ((c.label?.length ?? 0) > 80) return 'button label over 80 characters';
    }
  }
  return null;
}

/** Discord's limits on application commands. */
function commandsProblem(body: any): string | null {
  if (!Array.isArray(body) || body.length > 100) return 'commands: not a list of at most 100';
  for (const c of body) {
    const type = c.type ?? 1;
    if (typeof c.name !== 'string' || c.name.length > 32 || (type === 1 && !/^[-_\p{L}\p{N}]{1,32}$/u.test(c.name))) return `command name "${c.name}"`;
    if (type === 1 && !(c.description?.length >= 1 && c.description.length <= 100)) return `description of ${c.name}`;
    if (type !== 1 && c.description) return `${c.name}: only chat-input commands have a description`;
    for (const o of c.options ?? []) {
      if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(o.name) || !(o.description?.length >= 1 && o.description.length <= 100)) return `option ${c.name}.${o.name}`;
      if (o.max_length !== undefined && !(o.max_length >= 1 && o.max_length <= 6000)) return `option ${c.name}.${o.name}: max_length ${o.max_length}`;
    }
  }
  return null;
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (!raw.length) return null;
  const text = raw.toString('utf8');
  if (contentType?.startsWith('multipart/form-data')) {
    const payload = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text);
    return payload ? JSON.parse(payload[1]!) : text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `res` is null when a fault answers instead (the request was done, the reply is the fault's). */
function json(res: ServerResponse | null, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res?.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function empty(res: ServerResponse | null): void {
  res?.writeHead(204).end();
}
