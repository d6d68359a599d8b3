/**
 * The platform-neutral reply. Every string is already localised; renderers escape for their
 * platform (mrkdwn, Adaptive Card markdown, HTML) and never translate.
 */
import type { Actor } from './event.ts';

export type Severity = 'ok' | 'info' | 'warning' | 'critical';

export interface Fact {
  readonly label: string;
  readonly value: string;
  /** `danger`: a fact to notice first (a reboot Managed Availability forced); shown in red where the platform can. */
  readonly style?: 'danger';
}

export type Section =
  | { readonly kind: 'text'; readonly text: string }
  /** Probe output, error excerpts: shown preformatted. */
  | { readonly kind: 'code'; readonly text: string }
  /** An ordered list, e.g. the whole recovery ladder or manual instructions. */
  | { readonly kind: 'list'; readonly items: readonly string[] };

export type ActionStyle = 'default' | 'primary' | 'danger';

/**
 * Who can use a button. The engine checks every click whatever this says; it lets a surface that
 * knows who is looking (the web chat's persona) leave out what that person would only be refused.
 * Surfaces that show one card to a whole channel (Slack, Teams) show every button.
 */
export interface ActionAudience {
  /** The role the click needs (requesting a state-changing step, deciding an approval). */
  readonly role?: 'operator' | 'approver';
  /** Not for this person (an approval's requester does not approve or reject it). */
  readonly notBy?: Actor;
  /** Only for this person (the requester withdraws their own request). */
  readonly onlyBy?: Actor;
}

export interface CardAction {
  /** Opaque id; a click comes back as an ActionEvent with this id. */
  readonly id: string;
  readonly label: string;
  readonly style: ActionStyle;
  /** For state-changing steps: ask "are you sure?" before sending the click. */
  readonly confirm?: { readonly title: string; readonly text: string; readonly yes: string; readonly no: string };
  /** Absent: anyone in the conversation may use it. */
  readonly audience?: ActionAudience;
}

export type CardKind = 'diagnosis' | 'approval' | 'result' | 'help' | 'notice' | 'timeline';

export interface Card {
  readonly kind: CardKind;
  readonly title: string;
  readonly severity: Severity;
  readonly facts: readonly Fact[];
  readonly sections: readonly Section[];
  readonly actions: readonly CardAction[];
  /** The small line at the bottom: who asked, when, how long it took. */
  readonly context?: string;
}

/** What a chat surface can do; the engine degrades by these, never by platform name. */
export interface Capabilities {
  /** Can edit a message it posted (Slack chat.update, Teams updateActivity, the web chat). */
  readonly updateInPlace: boolean;
  /** Can show a notice to one person only. */
  readonly ephemeral: boolean;
  readonly threads: boolean;
  readonly buttons: boolean;
}
