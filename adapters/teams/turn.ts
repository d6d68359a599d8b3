/**
 * One inbound activity, from Teams to the engine.
 *
 * - message: a question or follow-up (the bot's mention removed), an Action.Submit fallback click,
 *   or "alerts here". Acknowledged at once; the work runs after the HTTP answer, so the member
 *   lookup and the engine never hold Teams' request open.
 * - invoke `adaptiveCard/action`: a click. Answered within the time budget with the card that
 *   click produced (invoke.ts), the work itself running on afterwards.
 * - conversationUpdate / installationUpdate: where the conversation lives, and the alerts target
 *   when the bot was just added.
 *
 * Every event id is the activity id, so a redelivery is a no-op in the engine (which claims event
 * ids in the store) and two clicks are two events that the approval state machine tells apart.
 * What this adapter answers itself ("alerts here") is claimed through the engine's same path.
 */
import type { TurnContext } from 'botbuilder';
import type { Actor, Card, ChatEngine, InboundEvent } from '../../src/core/index.ts';
import type { Alerts } from './alerts.ts';
import { encodeRef } from './conversation-ref.ts';
import type { ConversationDirectory } from './directory.ts';
import type { Identities } from './identity.ts';
import { userIdOf } from './identity.ts';
import type { TeamsActivity } from './inbound.ts';
import {
  botWasAdded,
  executedActionId,
  isAlertsHere,
  messageText,
  placeOf,
  readActivity,
  submittedActionId,
} from './inbound.ts';
import { InvokeReply, PendingInvoke } from './invoke.ts';
import { badInvoke, invokeBody } from './invoke-response.ts';
import type { InvokeBody } from './invoke-response.ts';
import type { Log, TeamsSurface } from './surface.ts';
import type { TeamsTexts } from './texts.ts';
import type { WorkQueue } from '../../src/core/index.ts';
import { textsFor } from './texts.ts';

export interface TurnDeps {
  readonly engine: ChatEngine;
  readonly surface: TeamsSurface;
  readonly directory: ConversationDirectory;
  readonly identities: Identities;
  readonly alerts: Alerts;
  readonly log: Log;
  readonly texts: TeamsTexts;
  /** How long a click may wait for the engine before Teams gets a "working" answer. */
  readonly invokeBudgetMs: number;
  /** Who may redirect alerts with "alerts here"; everyone when not given. */
  readonly canSetAlerts?: (actor: Actor) => boolean;
  /** Keeps background work visible to `idle()` and `close()`. */
  readonly track: (work: Promise<unknown>) => void;
  /** Runs the work after the acknowledgement, a bounded number at a time. */
  readonly queue: WorkQueue;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createTurnLogic(deps: TurnDeps): (context: TurnContext) => Promise<void> {
  const { engine, surface, directory, identities, log } = deps;

  /** Runs engine work after the acknowledgement; a failure is logged, never thrown at Teams. */
  const inBackground = (what: string, urgency: 'click' | 'other', work: () => Promise<void>): Promise<void> => {
    const task = deps.queue
      .push(work, { urgent: urgency === 'click' })
      .catch((err: unknown) => log('error', `Teams: ${what} failed`, { err: errText(err) }));
    deps.track(task);
    return task;
  };

  const eventFor = async (
    activity: TeamsActivity,
    body: { kind: 'message'; text: string } | { kind: 'action'; actionId: string },
  ): Promise<InboundEvent> => {
    const place = placeOf(activity);
    await directory.remember(activity.conversation.id, place);
    const actor = await identities.actorFor(activity, place);
    const base = {
      eventId: `teams:${activity.id}`,
      conversation: encodeRef(activity.conversation.id),
      actor,
      raw: activity,
    };
    return body.kind === 'message'
      ? { ...base, kind: 'message', text: body.text }
      : { ...base, kind: 'action', actionId: body.actionId };
  };

  const notice = (title: string, severity: Card['severity']): Card => ({
    kind: 'notice',
    title,
    severity,
    facts: [],
    sections: [],
    actions: [],
  });

  const alertsHere = async (activity: TeamsActivity): Promise<void> => {
    const say = textsFor(activity.locale, deps.texts);
    const place = placeOf(activity);
    await directory.remember(activity.conversation.id, place);
    const actor = await identities.actorFor(activity, place);
    // A redelivered command is answered once, like everything the engine handles.
    if (!(await engine.claim(`teams:${activity.id}`))) return;
    const conversation = encodeRef(activity.conversation.id);
    if (deps.canSetAlerts && !deps.canSetAlerts(actor)) {
      await surface.notify(conversation, actor, notice(say('alertsNotAllowed'), 'warning'));
      return;
    }
    try {
      await deps.alerts.capture(activity, { overwrite: true, setBy: actor });
    } catch (err) {
      log('error', 'Teams: could not store the alerts target', { err: errText(err) });
      await surface.notify(conversation, actor, notice(say('alertsFailed'), 'critical'));
      return;
    }
    log('info', 'Teams: alerts target set', { by: actor.directoryId ?? actor.userId });
    await surface.post(conversation, notice(say('alertsHere'), 'ok'));
  };

  const onMessage = (activity: TeamsActivity): void => {
    const clicked = submittedActionId(activity);
    if (clicked) {
      void inBackground('a card click (Action.Submit)', 'click', async () =>
        engine.handle(await eventFor(activity, { kind: 'action', actionId: clicked })),
      );
      return;
    }
    const text = messageText(activity);
    if (!text) return;
    if (isAlertsHere(text)) {
      void inBackground('"alerts here"', 'other', () => alertsHere(activity));
      return;
    }
    void inBackground('a message', 'other', async () =>
      engine.handle(await eventFor(activity, { kind: 'message', text })),
    );
  };

  const onCardAction = async (activity: TeamsActivity): Promise<InvokeBody> => {
    const say = textsFor(activity.locale, deps.texts);
    const actionId = executedActionId(activity);
    if (!actionId) return badInvoke(say('notOurs'));
    const conversation = encodeRef(activity.conversation.id);
    const pending = new PendingInvoke(
      {
        conversation,
        userId: userIdOf(activity.from),
        ...(activity.replyToId ? { messageId: activity.replyToId } : {}),
      },
      deps.invokeBudgetMs,
    );
    void inBackground('a card click', 'click', async () => {
      try {
        const event = await eventFor(activity, { kind: 'action', actionId });
        // The click's answer travels with the event: surface calls its handling makes carry this handle.
        await engine.handle(event, new InvokeReply(event.eventId, pending));
        pending.offer({ kind: 'done' });
      } catch (err) {
        pending.offer({ kind: 'failed', error: err });
        throw err;
      }
    }).then(() => pending.offer({ kind: 'failed', error: new Error('the click was not handled') }));
    const outcome = await pending.outcome;
    return invokeBody(outcome, activity.replyToId ? surface.cardOf(activity.replyToId) : undefined, say);
  };

  const answerInvoke = async (context: TurnContext, body: InvokeBody) => {
    // HTTP 200 whenever the click was ours to handle; the body's statusCode tells Teams what it is.
    await context.sendActivity({ type: 'invokeResponse', value: { status: body.statusCode, body } });
  };

  return async (context) => {
    const activity = readActivity(context.activity);
    if (!activity) {
      log('warn', 'Teams: ignored an activity without sender, recipient or conversation', {
        type: context.activity?.type,
      });
      if (context.activity?.type === 'invoke') await answerInvoke(context, badInvoke('malformed activity'));
      return;
    }
    if (activity.from.id === activity.recipient.id) return;
    try {
      switch (activity.type) {
        case 'message':
          if (!activity.id)
            return void log('warn', 'Teams: ignored a message without an id (it could not be de-duplicated)');
          onMessage(activity);
          return;
        case 'invoke':
          if (activity.name !== 'adaptiveCard/action') {
            // Not a kind of invoke this bot offers; Teams is told so instead of waiting.
            await answerInvoke(context, badInvoke(`unsupported invoke ${String(activity.name).slice(0, 60)}`));
            return;
          }
          if (!activity.id) return void (await answerInvoke(context, badInvoke('invoke without an id')));
          await answerInvoke(context, await onCardAction(activity));
          return;
        case 'conversationUpdate':
        case 'installationUpdate':
          void inBackground('a conversation update', 'other', async () => {
            await directory.remember(activity.conversation.id, placeOf(activity));
            const type = activity.conversation.conversationType;
            if (botWasAdded(activity) && (type === 'channel' || type === 'groupChat')) {
              if (await deps.alerts.capture(activity, { overwrite: false }))
                log('info', 'Teams: alerts go to the conversation the bot was added to');
            }
          });
          return;
        default:
          return;
      }
    } catch (err) {
      log('error', 'Teams: handling an activity failed', { type: activity.type, err: errText(err) });
      if (activity.type === 'invoke')
        await answerInvoke(
          context,
          invokeBody({ kind: 'failed', error: err }, undefined, textsFor(activity.locale, deps.texts)),
        );
    }
  };
}
