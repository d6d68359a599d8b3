/**
 * Telling a person that a name is not known, with the nearest known names. A health set is known
 * when a runbook describes it, Exchange documents it, or a server of the organisation reports it;
 * once the servers' reports are in, the notice says that none of them has it either, so an
 * unknown name is never answered with a card about something else (or a green one).
 */
import type { ParseProblem } from '../intent/index.ts';
import type { Translate } from '../ports/i18n.ts';
import type { HealthSetDiscovery } from './discovered-sets.ts';
import { joinList } from './views/values.ts';

export function problemText(t: Translate, p: ParseProblem, discovery?: HealthSetDiscovery): string {
  const didYouMean = p.suggestions.length > 0 ? ` ${t('ask.didYouMean', { options: joinList(t, p.suggestions) })}` : '';
  if (p.kind === 'unknown-server') return t('ask.unknownServer', { server: p.text }) + didYouMean;
  const serversAsked = discovery?.current().at !== undefined;
  return t(serversAsked ? 'ask.unknownHealthSetAnywhere' : 'ask.unknownHealthSet', { healthSet: p.text }) + didYouMean;
}

/**
 * Before the first discovery has finished, a name the catalogue lacks may still be a set some
 * server has (a newer version's): worth waiting for the servers' answer once, then parsing again.
 */
export function worthAskingServers(
  problems: readonly ParseProblem[],
  discovery: HealthSetDiscovery | undefined,
): discovery is HealthSetDiscovery {
  return (
    discovery !== undefined &&
    discovery.current().at === undefined &&
    problems.some((p) => p.kind === 'unknown-health-set')
  );
}
