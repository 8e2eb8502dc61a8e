// Addresses a fetch must never reach unless the operator allows it: loopback, private networks, link-local,
// carrier-grade NAT, multicast, documentation and reserved ranges — and every IPv6 form that carries an IPv4
// address (IPv4-mapped, -compatible, SIIT, NAT64, 6to4, Teredo, ISATAP) is judged by the IPv4 address it carries.
// The clouds' metadata services (instance credentials) are never reached, whatever the settings.
// Addresses are parsed by ipaddr.js (the parser behind Express's proxy-addr): IPv6 has many spellings (zone ids,
// dotted IPv4 tails, "::" anywhere) and a hand-written parser is where such checks go wrong.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

const ranges = (cidrs: string[]): Range[] => cidrs.map((cidr) => ipaddr.parseCIDR(cidr));

const PRIVATE_V4 = ranges([
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT (Alibaba Cloud's metadata service is 100.100.100.200)
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local: the metadata service of AWS, GCP, Azure, Oracle, DigitalOcean… at 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments (Oracle Cloud's metadata service is 192.0.0.192)
  '192.0.2.0/24',
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
]);

const PRIVATE_V6 = ranges([
  '::/128',
  '::1/128',
  '64:ff9b:1::/48', // local-use NAT64 (RFC 8215): a site's own translator
  '100::/64', // discard
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local (AWS's IPv6 metadata service is fd00:ec2::254)
  'fe80::/10', // link-local
  'fec0::/10', // old site-local
  'ff00::/8', // multicast
]);

/** The clouds' instance metadata services: refused even when private addresses are allowed. */
const METADATA = [
  '169.254.169.254', // AWS, GCP (metadata.google.internal), Azure IMDS, Oracle, DigitalOcean, OpenStack, Hetzner…
  '169.254.170.2', // AWS ECS task metadata and credentials
  '169.254.0.23', // Tencent Cloud
  '168.63.129.16', // Azure WireServer (a public address, reached from inside Azure only)
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS over IPv6
].map((address) => ipaddr.parse(address));

/** Host names of metadata services, refused before any lookup (GCP's resolves to 169.254.169.254). */
export const METADATA_HOSTS: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.goog', 'metadata.tencentyun.com']);

/** Whether an IP address is in a range a fetch must not reach (or is no IP address at all). */
export function isPrivateAddress(address: string): boolean {
  const parsed = parse(address);
  if (!parsed) return true; // Not an address: refuse rather than guess.
  return isMetadata(parsed) || carried(parsed).some((a) => inRanges(a, a.kind() === 'ipv4' ? PRIVATE_V4 : PRIVATE_V6));
}

/** Whether an IP address is a cloud metadata service, in any of its IPv6 spellings. */
export function isMetadataAddress(address: string): boolean {
  const parsed = parse(address);
  return parsed !== null && isMetadata(parsed);
}

function parse(address: string): Address | null {
  // node:net's isIP is strict (no "127.1" or octal forms, which ipaddr.js also reads); ipaddr.js then gives the parts.
  const bare = address.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return null;
  try {
    return ipaddr.parse(bare.replace(/%.*$/, ''));
  } catch {
    return null;
  }
}

function isMetadata(address: Address): boolean {
  return carried(address).some((a) => METADATA.some((m) => m.kind() === a.kind() && m.toNormalizedString() === a.toNormalizedString()));
}

function inRanges(address: Address, list: Range[]): boolean {
  return list.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/** The address itself and every IPv4 address an IPv6 address carries (a fetch to it reaches those). */
function carried(address: Address): Address[] {
  if (address.kind() === 'ipv4') return [address];
  const p = (address as ipaddr.IPv6).parts;
  const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  const out: Address[] = [address];
  if (zero(0, 5) && p[5] === 0xffff) out.push(v4(p[6]!, p[7]!)); // IPv4-mapped ::ffff:a.b.c.d
  if (zero(0, 6)) out.push(v4(p[6]!, p[7]!)); // IPv4-compatible ::a.b.c.d (deprecated; also :: and ::1)
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) out.push(v4(p[6]!, p[7]!)); // SIIT ::ffff:0:a.b.c.d
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) out.push(v4(p[6]!, p[7]!)); // NAT64 64:ff9b::a.b.c.d
  if (p[0] === 0x2002) out.push(v4(p[1]!, p[2]!)); // 6to4 2002:aabb:ccdd::
  if (p[0] === 0x2001 && p[1] === 0) out.push(v4(p[2]!, p[3]!), v4(~p[6]! & 0xffff, ~p[7]! & 0xffff)); // Teredo: server, client (inverted)
  if ((p[4]! & 0xfcff) === 0 && p[5] === 0x5efe) out.push(v4(p[6]!, p[7]!)); // ISATAP …:0:5efe:a.b.c.d
  return out;
}
