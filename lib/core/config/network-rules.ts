/** IPv4 CIDR helpers shared by the VPC and endpoint rules. */

export interface Cidr {
  readonly address: number;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  // No leading zeros (`10.01.0.0/16`): ambiguous, since inet_aton reads `010` as octal 8, and Go's
  // net.ParseCIDR (Kubernetes, the AWS tooling written in Go) refuses them since Go 1.17
  // (golang/go#30999). Only the canonical dotted-decimal form is a CIDR here.
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/.exec(text);
  if (!m) {
    return undefined;
  }
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) {
    return undefined;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  // A CIDR with host bits set (10.0.0.1/16) is almost always a typo; EKS and EC2 reject it.
  return address % hostBits === 0 ? { address, prefix } : undefined;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c) as Cidr);

function contains(outer: Cidr, inner: Cidr): boolean {
  const size = 2 ** (32 - outer.prefix);
  return inner.prefix >= outer.prefix && Math.floor(inner.address / size) === Math.floor(outer.address / size);
}

export function isPrivateRange(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, cidr));
}
