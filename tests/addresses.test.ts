// The address check behind every fetch: private ranges in every IPv6 spelling that carries an IPv4 address, and
// the clouds' metadata services, refused even where private addresses are allowed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMetadataAddress, isPrivateAddress } from '../src/adding/addresses.js';
import { fetchArticle, type FetchOptions } from '../src/adding/fetch.js';

const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
/** Every IPv6 form that carries the IPv4 address a.b.c.d. */
function embeddings([a, b, c, d]: number[]): Record<string, string> {
  const [high, low] = [hex(a!, b!), hex(c!, d!)];
  const inverted = (x: number) => (~x & 0xffff).toString(16);
  return {
    'IPv4-mapped, dotted': `::ffff:${a}.${b}.${c}.${d}`,
    'IPv4-mapped, hex': `::ffff:${high}:${low}`,
    'IPv4-compatible, hex': `::${high}:${low}`,
    'IPv4-compatible, dotted': `::${a}.${b}.${c}.${d}`,
    'SIIT ::ffff:0:0/96': `::ffff:0:${high}:${low}`,
    'NAT64 64:ff9b::/96': `64:ff9b::${high}:${low}`,
    '6to4 2002::/16': `2002:${high}:${low}::1`,
    'Teredo server': `2001:0:${high}:${low}::fefe:fefe`, // client 1.1.1.1
    'Teredo client (inverted)': `2001:0:808:808:0:ffff:${inverted(parseInt(high, 16))}:${inverted(parseInt(low, 16))}`,
    ISATAP: `2600:1f18::5efe:${high}:${low}`,
    'ISATAP, universal bit': `2600:1f18::200:5efe:${a}.${b}.${c}.${d}`,
  };
}

describe('isPrivateAddress', () => {
  const privateV4 = ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255'];
  it.each(privateV4.flatMap((v4) => Object.entries(embeddings(v4.split('.').map(Number))).map(([form, v6]) => [v4, form, v6])))(
    '%s as %s (%s) is refused',
    (v4, _form, v6) => {
      expect(isPrivateAddress(v4)).toBe(true);
      expect(isPrivateAddress(v6)).toBe(true);
    },
  );

  it.each([
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::ffff:0:7f00:1', 'SIIT loopback'],
    ['::a9fe:a9fe', 'IPv4-compatible link-local'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['[::1]', 'bracketed, as a URL writes it'],
    ['fd12:3456::1', 'unique local'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['127.1', 'not a strict address (127.0.0.1 to some parsers)'],
    ['0x7f000001', 'not an address'],
    ['localhost', 'a name, not an address'],
  ])('%s (%s) is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  const publicV4 = ['8.8.8.8', '93.184.216.34', '172.32.0.1', '1.1.1.1'];
  it.each(publicV4.flatMap((v4) => Object.entries(embeddings(v4.split('.').map(Number))).map(([form, v6]) => [v4, form, v6])))(
    '%s as %s (%s) is fetched',
    (v4, _form, v6) => {
      expect(isPrivateAddress(v4)).toBe(false);
      expect(isPrivateAddress(v6)).toBe(false);
    },
  );

  it.each(['2606:4700::1111', '2a00:1450:4001:80b::200e'])('%s is fetched', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('judges every IPv6 form by the IPv4 address it carries, for any IPv4 address', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (octets) => {
        const v4 = isPrivateAddress(octets.join('.'));
        for (const [form, v6] of Object.entries(embeddings(octets))) {
          // Teredo and ISATAP also carry the relay's or site's own address (public in these forms).
          expect(isPrivateAddress(v6), `${form} ${v6}`).toBe(v4);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('cloud metadata services', () => {
  it.each([
    ['169.254.169.254', 'AWS, GCP, Azure, Oracle, DigitalOcean'],
    ['::ffff:a9fe:a9fe', 'the same, IPv4-mapped'],
    ['::a9fe:a9fe', 'the same, IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', 'the same, through NAT64'],
    ['2002:a9fe:a9fe::', 'the same, as 6to4'],
    ['fd00:ec2::254', 'AWS over IPv6'],
    ['fd00:ec2:0:0:0:0:0:254', 'the same, uncompressed'],
    ['168.63.129.16', 'Azure WireServer'],
    ['::ffff:168.63.129.16', 'the same, IPv4-mapped'],
    ['100.100.100.200', 'Alibaba'],
    ['192.0.0.192', 'Oracle'],
    ['169.254.170.2', 'AWS ECS'],
  ])('%s (%s) is a metadata address, and private', (address) => {
    expect(isMetadataAddress(address)).toBe(true);
    expect(isPrivateAddress(address)).toBe(true);
  });

  it('is not every address', () => {
    for (const address of ['127.0.0.1', '169.254.169.253', '168.63.129.17', '8.8.8.8', '::1', 'nonsense'])
      expect(isMetadataAddress(address), address).toBe(false);
  });

  it('is never fetched, even with ADD_ALLOW_PRIVATE_URLS, and without a connection being tried', async () => {
    const allowing: FetchOptions = { timeoutMs: 5_000, maxBytes: 1024, allowPrivate: true };
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fd00:ec2::254]/',
      'http://168.63.129.16/machine?comp=goalstate',
      'http://100.100.100.200/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./computeMetadata/v1/',
    ]) {
      await expect(fetchArticle(url, allowing), url).rejects.toThrow(/is a cloud metadata service: never fetched$/);
    }
  });
});
