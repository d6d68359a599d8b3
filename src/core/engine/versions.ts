/**
 * Which Exchange a server runs, from the build the inventory reports, and whether it is still
 * supported on the injected clock's date. 2019 and Subscription Edition share 15.2: only the
 * build number tells them apart (SE's first build is 15.2.2562).
 */
import type { ExchangeProduct, ServerVersion } from '../model/server-context.ts';

/** End of extended support, per product (Microsoft's lifecycle dates). SE is serviced continuously. */
export const END_OF_SUPPORT: Readonly<Partial<Record<ExchangeProduct, string>>> = {
  '2013': '2023-04-11',
  '2016': '2025-10-14',
  '2019': '2025-10-14',
};

const FIRST_SE_BUILD = 2562;

/** `Version 15.2 (Build 1544.4)` or `15.2.1544.4` into product and build. */
export function parseVersion(text: string | undefined): Pick<ServerVersion, 'product' | 'build'> {
  if (!text) return {};
  const m = /(\d+)\.(\d+)\s*(?:\(Build\s+|\.)(\d+)\.(\d+)/i.exec(text);
  if (!m) return { build: text.trim() };
  const [major, minor, build, revision] = m.slice(1).map(Number) as [number, number, number, number];
  const full = `${major}.${minor}.${build}.${revision}`;
  if (major !== 15) return { build: full };
  const product: ExchangeProduct | undefined =
    minor === 0 ? '2013' : minor === 1 ? '2016' : minor === 2 ? (build >= FIRST_SE_BUILD ? 'SE' : '2019') : undefined;
  return { ...(product ? { product } : {}), build: full };
}

export function serverVersion(text: string | undefined, now: Date): ServerVersion {
  const parsed = parseVersion(text);
  const end = parsed.product ? END_OF_SUPPORT[parsed.product] : undefined;
  // Support ends at the end of the last day; the next day the badge shows.
  const past = end !== undefined && now.getTime() >= Date.parse(`${end}T00:00:00Z`) + 24 * 3600_000;
  return { ...parsed, ...(past ? { outOfSupportSince: end } : {}) };
}

/**
 * The product the runbook's source article was written for: the reference's folder says it
 * (articles for 2016 and 2019 sit under `overview-exchange-2016-2019/`, the rest are 2013's).
 */
export function articleVersion(source: string): readonly ExchangeProduct[] {
  return source.startsWith('overview-exchange-2016-2019/') ? ['2016', '2019'] : ['2013'];
}
