// Addresses a fetch must never reach unless the operator allows it: loopback, private networks, link-local
// (where cloud metadata services live, 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast,
// documentation and reserved ranges, and IPv6 forms that embed such an IPv4 address.
import { BlockList, isIP } from 'node:net';

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is in a range a fetch must not reach. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return BLOCKED.check(address, 'ipv4');
  if (version !== 6) return true; // Not an address at all: refuse rather than guess.
  // IPv4-mapped and -compatible forms (::ffff:127.0.0.1) reach the IPv4 address they carry.
  const embedded = /^::(?:ffff(?::0{1,4})?:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? mappedHex(address);
  if (embedded) return BLOCKED.check(embedded, 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

/** ::ffff:7f00:1 → 127.0.0.1 */
function mappedHex(address: string): string | null {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!match) return null;
  const [high, low] = [parseInt(match[1]!, 16), parseInt(match[2]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
