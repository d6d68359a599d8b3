/** The alert the alert tests start from: IMAP raised on SERVER1 by the event log at 13:58 UTC. */
import type { Alert } from '../../src/core/alerts/index.ts';

export const raisedAlert = (over: Partial<Alert> = {}): Alert => ({
  server: 'SERVER1',
  healthSet: 'IMAP',
  monitor: 'ImapCTPMonitor',
  state: 'raised',
  at: '2026-11-24T13:58:00.000Z',
  source: 'event-log',
  text: 'IMAP health set unhealthy (ImapCTPMonitor) on SERVER1',
  ...over,
});
