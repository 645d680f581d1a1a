// Where a webhook may not go (outside test mode): this machine, the private networks behind it, and
// the cloud metadata service. Portable (no Node module): the save-time check and the Node worker's
// delivery-time check (which connects only to the address it checked) both ask `refusedAddress`.

/** An IPv4 address as four bytes, or null when `s` is not one in dotted-decimal form. */
function ipv4Bytes(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** An IPv6 address as eight 16-bit groups (an embedded IPv4 tail included), or null. */
function ipv6Groups(input: string): number[] | null {
  let s = input.toLowerCase();
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  // An IPv4 tail (::ffff:127.0.0.1) becomes its two groups.
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const b = ipv4Bytes(tail);
    if (!b) return null;
    s = `${s.slice(0, lastColon + 1)}${((b[0] ?? 0) * 256 + (b[1] ?? 0)).toString(16)}:${((b[2] ?? 0) * 256 + (b[3] ?? 0)).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string | undefined) => (h ? h.split(':') : []);
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    out.push(Number.parseInt(g, 16));
  }
  return out.length === 8 ? out : null;
}

/** Why an IPv4 address is refused, or null. */
function refusedV4(b: number[]): string | null {
  const [a = 0, c = 0] = b;
  if (a === 0) return 'an unspecified ("this network") address';
  if (a === 127) return 'a loopback address';
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return 'a private address';
  if (a === 100 && c >= 64 && c <= 127) return 'a shared (carrier-grade NAT) address';
  if (a === 169 && c === 254) return 'a link-local or metadata address';
  if (a === 192 && c === 0 && b[2] === 0) return 'an IETF protocol address';
  if (a === 198 && (c === 18 || c === 19)) return 'a benchmarking address';
  if (a >= 224) return 'a multicast or reserved address';
  return null;
}

/** Why an IPv6 address is refused, or null; IPv4 inside it (mapped, compatible, NAT64) as IPv4. */
function refusedV6(g: number[]): string | null {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  if (zeros(8)) return 'an unspecified address';
  if (zeros(7) && g[7] === 1) return 'a loopback address';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64): the IPv4 inside counts.
  if (zeros(5) && g[5] === 0xffff) return refusedV4(v4(g[6] ?? 0, g[7] ?? 0));
  if (zeros(6)) return refusedV4(v4(g[6] ?? 0, g[7] ?? 0));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return refusedV4(v4(g[6] ?? 0, g[7] ?? 0));
  const first = g[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((first & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  // AWS's metadata service over IPv6.
  if (first === 0xfd00 && g[1] === 0x0ec2) return 'a metadata address';
  return null;
}

/** Whether `s` is an IP address literal (either family, IPv6 without brackets). */
export const isIpLiteral = (s: string): boolean => ipv4Bytes(s) !== null || ipv6Groups(s) !== null;

/**
 * Why a webhook may not be delivered to this address (loopback, private, link-local, metadata,
 * unspecified, multicast; IPv4 inside IPv6 judged as IPv4), or null when it may. Anything that is
 * not an address is refused too.
 */
export function refusedAddress(address: string): string | null {
  const v4 = ipv4Bytes(address);
  if (v4) return refusedV4(v4);
  const v6 = ipv6Groups(address);
  if (v6) return refusedV6(v6);
  return 'not an IP address';
}

/** Names that mean this machine or its private network whatever DNS says. */
export function refusedHostName(hostname: string): string | null {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'this machine';
  if (h === 'metadata.google.internal' || h.endsWith('.internal') || h.endsWith('.local'))
    return 'an internal name';
  if (!h.includes('.')) return 'a name without a domain';
  return null;
}
