/**
 * Which Host names the bot answers to for its browser-facing parts (the web chat, /healthz's
 * details). A web page on any site can make the local browser send requests to 127.0.0.1 under its
 * own name (DNS rebinding): the browser then treats the bot as that site, and only the Host header
 * still tells. So the Host, and the Origin of a post, must be one of the configured names; by
 * default the loopback names on the port the request arrived on.
 */

/** Loopback names, as they appear in a Host header. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

interface Authority {
  readonly name: string;
  readonly port?: number;
}

/** Splits `name`, `name:port`, `[v6]:port` into its parts; undefined when it is none of these. */
export function parseAuthority(value: string): Authority | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: m[1]!.toLowerCase(), ...(port !== undefined ? { port } : {}) };
}

export interface HostCheck {
  /**
   * Is `authority` (a Host header, or an Origin's host part) one the bot answers to?
   * `localPort` is the port the request arrived on; `defaultPort` what an authority without a port
   * means (80 for http, 443 for https).
   */
  (authority: string | undefined, localPort: number | undefined, defaultPort?: number): boolean;
}

/**
 * `configured`: HEALTHBOT_WEB_HOSTS entries. An entry with a port matches that port only; one
 * without matches any port (behind a proxy the public port is not the bot's). Without entries, the
 * loopback names match on the port the request arrived on only.
 */
export function createHostCheck(configured: readonly string[] | undefined): HostCheck {
  const rules = configured?.map(parseAuthority).filter((a): a is Authority => a !== undefined);
  return (authority, localPort, defaultPort = 80) => {
    const given = authority ? parseAuthority(authority) : undefined;
    if (!given) return false;
    const port = given.port ?? defaultPort;
    if (!rules) return LOOPBACK_NAMES.includes(given.name) && port === localPort;
    return rules.some((r) => r.name === given.name && (r.port === undefined || r.port === port));
  };
}
