// Fetching an article from a link someone pasted is hostile territory: http(s) only, a total time limit,
// a size cap (also on what a compressed body inflates to), a content-type check, at most a few redirects,
// each re-checked, and no private, loopback, link-local or metadata address. The host is resolved by our
// own lookup, which checks every address it returns, and the connection goes to the address checked
// (no second resolution a rebinding DNS server could answer differently). A cloud metadata service is never
// reached, whatever the settings.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { isMetadataAddress, isPrivateAddress, METADATA_HOSTS } from './addresses.js';

export class FetchError extends Error {
  override name = 'FetchError';
}

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Allow private and loopback addresses (tests serving pages from 127.0.0.1, intranet CMSs). */
  allowPrivate: boolean;
  /**
   * Origins reached without the private-address check: the operator's own configuration named them (Discord's CDN,
   * DISCORD_CDN_URL). For attachments only: a link someone pasted is checked like any other, wherever it points.
   */
  trustedOrigins?: string[];
  /** Take any content type (an attachment: its file name says what it is). */
  anyType?: boolean;
}

export interface Fetched {
  bytes: Buffer;
  /** Media type without parameters, lower-cased. */
  mediaType: string;
  charset: string | null;
  /** The address after redirects. */
  url: string;
}

/** Media types we read as articles, and the file extension each is kept under. */
export const ARTICLE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'text/html': '.html',
  'application/xhtml+xml': '.html',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/markdown': '.md',
  'text/x-markdown': '.md',
};

const MAX_REDIRECTS = 5;

export async function fetchArticle(address: string, options: FetchOptions): Promise<Fetched> {
  let url = parseHttpUrl(address);
  const deadline = Date.now() + options.timeoutMs;
  for (let hop = 0; ; hop++) {
    const response = await request(url, options, deadline);
    if (response.redirect) {
      if (hop >= MAX_REDIRECTS) throw new FetchError(`${address} redirects more than ${MAX_REDIRECTS} times`);
      url = parseHttpUrl(new URL(response.redirect, url).toString());
      continue;
    }
    return { ...response.fetched!, url: url.toString() };
  }
}

function parseHttpUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new FetchError(`${address} is not a link (expected https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`${url.protocol} links are not fetched: only http and https`);
  if (url.username || url.password) throw new FetchError('links with a user name or password are not fetched');
  return url;
}

/** The DNS lookup used for every connection: all addresses checked, the first one allowed used. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family as number | undefined }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const metadata = addresses.find((a) => isMetadataAddress(a.address));
      if (metadata) return callback(new FetchError(`${hostname} resolves to ${metadata.address}, a cloud metadata service: never fetched`), '', 0);
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked && !allowPrivate) {
        return callback(
          new FetchError(`${hostname} resolves to ${blocked.address}, a private or local address: not fetched (ADD_ALLOW_PRIVATE_URLS=true allows it)`),
          '',
          0,
        );
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new FetchError(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

interface Response {
  redirect?: string;
  fetched?: Omit<Fetched, 'url'>;
}

function request(url: URL, options: FetchOptions, deadline: number): Promise<Response> {
  const trusted = options.trustedOrigins?.includes(url.origin) ?? false;
  const allowPrivate = options.allowPrivate || trusted;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (METADATA_HOSTS.has(host.toLowerCase().replace(/\.$/, '')) || (isIP(host) && isMetadataAddress(host))) {
    return Promise.reject(new FetchError(`${host} is a cloud metadata service: never fetched`));
  }
  // A literal address is connected to without any lookup: check it here.
  if (isIP(host) && isPrivateAddress(host) && !allowPrivate) {
    return Promise.reject(new FetchError(`${host} is a private or local address: not fetched (ADD_ALLOW_PRIVATE_URLS=true allows it)`));
  }
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(timedOut(url, options));
  return new Promise<Response>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      lookup: guardedLookup(allowPrivate),
      headers: {
        'user-agent': 'StoryDesk/0.1 (newsroom article fetcher)',
        accept: 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    const timer = setTimeout(() => req.destroy(timedOut(url, options)), remaining);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(
        error instanceof FetchError ? error : new FetchError(`${url.host} could not be fetched (${(error as NodeJS.ErrnoException).code ?? error.message})`),
      );
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        clearTimeout(timer);
        res.resume();
        return resolve({ redirect: res.headers.location });
      }
      if (status !== 200) {
        res.resume();
        return fail(new FetchError(`${url.toString()} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
      }
      const [mediaType, ...params] = (res.headers['content-type'] ?? '').split(';').map((p) => p.trim());
      const type = (mediaType ?? '').toLowerCase();
      if (!(type in ARTICLE_MEDIA_TYPES) && !options.anyType) {
        res.resume();
        return fail(new FetchError(`${url.toString()} is ${type || 'of no declared type'}, not a web page, PDF or text`));
      }
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > options.maxBytes) {
        res.destroy();
        return fail(tooLarge(url, options));
      }
      const charset = params.map((p) => /^charset\s*=\s*"?([^";\s]+)"?$/i.exec(p)?.[1]).find(Boolean) ?? null;
      readBody(res, options.maxBytes).then(
        (bytes) => {
          clearTimeout(timer);
          resolve({ fetched: { bytes, mediaType: type, charset } });
        },
        (error: Error) => fail(error.message === 'too large' ? tooLarge(url, options) : error),
      );
    });
    req.end();
  });
}

/** The body, inflated when compressed, never more than `maxBytes` of it. */
function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (res.headers['content-encoding'] ?? 'identity').toLowerCase();
  const inflate =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  const stream = inflate ? res.pipe(inflate) : res;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        stream.destroy();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    res.on('error', reject);
  });
}

function timedOut(url: URL, options: FetchOptions): FetchError {
  return new FetchError(`${url.host} did not answer within ${Math.round(options.timeoutMs / 1000)} s`);
}

function tooLarge(url: URL, options: FetchOptions): FetchError {
  return new FetchError(`${url.toString()} is larger than ${(options.maxBytes / 1024 / 1024).toFixed(1)} MB (ARTICLE_MAX_MB)`);
}
