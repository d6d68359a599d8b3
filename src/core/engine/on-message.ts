/**
 * A message arrived: understand it, resolve the server and health set against what we know, and
 * either diagnose, follow up in the conversation, or answer with a clear, localised notice.
 * Nothing unknown reaches a command: servers come from the inventory, health sets from the
 * catalogue, and everything else stays text.
 */
import type { MessageEvent } from '../model/event.ts';
import { hasRole } from '../approvals/policy.ts';
import { cancelMine } from './approval-flow.ts';
import type { EngineContext } from './context.ts';
import { publish } from './publish.ts';
import { startDiagnosis } from './run-diagnosis.ts';
import { askAbout } from './ongoing.ts';
import { rerunWithAnswer } from './rerun.ts';
import { tellPrivately } from './reply.ts';
import { findServer } from './servers.ts';
import { pastedAlert } from '../alerts/pasted.ts';
import { helpCard, noticeCard } from './views/notice.ts';
import { problemText, worthAskingServers } from './did-you-mean.ts';
import { vocabularyOf } from './vocabulary.ts';
import { joinList } from './views/values.ts';

export async function onMessage(ctx: EngineContext, event: MessageEvent): Promise<void> {
  const { actor, conversation } = event;
  const surface = ctx.surface(conversation);
  const servers = await ctx.servers();
  // A pasted alert (an e-mail body, a SCOM notification) is diagnosed like a question about its server and health set.
  const pasted = pastedAlert(event, servers, ctx.catalogue.healthSets, ctx.clock.now());
  const parse = () =>
    ctx.parser.parse(event.text, vocabularyOf(ctx.catalogue, ctx.discovery?.current(), servers), {
      localeHint: ctx.localeOf(actor),
    });
  let parsed = parse();
  if (worthAskingServers(parsed.problems, ctx.discovery)) {
    // An unreadable organisation leaves the catalogue's names: the notice below still answers.
    await ctx.discovery.refresh().catch((err: unknown) => ctx.observer.error?.('discovery', err));
    parsed = parse();
  }
  // The language of the question wins over the platform's setting: a German question gets German.
  const locale = parsed.locale;
  const t = ctx.t(locale);
  const notice = (text: string, items?: readonly string[]) =>
    surface.post(conversation, noticeCard(text, { severity: 'info', ...(items ? { items } : {}) }));

  if (!hasRole(ctx.policy, actor, 'asker')) {
    await tellPrivately(
      surface,
      conversation,
      actor,
      noticeCard(t('refusal.title'), { severity: 'warning', text: t('refusal.not-asker') }),
    );
    return;
  }
  if (pasted) {
    await startDiagnosis(ctx, {
      conversation,
      actor,
      question: event.text,
      locale,
      server: pasted.server,
      healthSet: pasted.alert.healthSet,
    });
    return;
  }
  if (parsed.problems.length > 0) {
    await surface.post(
      conversation,
      noticeCard(problemText(t, parsed.problems[0]!, ctx.discovery), {
        severity: 'warning',
        items: parsed.problems.slice(1).map((p) => problemText(t, p, ctx.discovery)),
        text: t('ask.knownServers', {
          servers: joinList(
            t,
            servers.map((s) => s.name),
          ),
        }),
      }),
    );
    return;
  }

  const state = await ctx.store.getConversation(conversation);
  const lastIncident = state?.lastIncidentId ? await ctx.store.getIncident(state.lastIncidentId) : undefined;
  const intent = parsed.intent;
  // A new diagnosis records its question under the new incident (startDiagnosis); everything
  // else is recorded here, under the conversation's incident when there is one.
  if (intent.kind !== 'diagnose') {
    await ctx.audit({
      type: 'command',
      actor,
      ...(lastIncident ? { incidentId: lastIncident.id } : {}),
      data: { conversation, text: event.text.slice(0, 500), intent: intent.kind },
    });
  }
  switch (intent.kind) {
    case 'help':
      await surface.post(
        conversation,
        helpCard(
          t,
          ctx.catalogue.runbooks.flatMap((r) => r.healthSets.map((h) => h.name)),
          servers.map((s) => s.name),
        ),
      );
      return;
    case 'unknown':
      await notice(t('ask.unknown'), [t('ask.unknownHint')]);
      return;
    case 'cancel': {
      const ids = lastIncident ? [lastIncident.id] : [];
      const count = await cancelMine(ctx, ids, actor);
      await tellPrivately(
        surface,
        conversation,
        actor,
        noticeCard(count > 0 ? t('cancel.done', { count }) : t('cancel.nothing')),
      );
      return;
    }
    case 'rerun':
      if (!lastIncident) return void (await notice(t('rerun.nothing')));
      await rerunWithAnswer(ctx, lastIncident, actor);
      return;
    case 'status': {
      if (!lastIncident) return void (await notice(t('status.none')));
      // A fresh copy at the bottom of the conversation, where the person is looking now.
      const { messageRef: _old, ...fresh } = lastIncident;
      await publish(ctx, fresh);
      return;
    }
    case 'diagnose': {
      const serverName = intent.server ?? state?.lastServer;
      const healthSet = intent.healthSet ?? (intent.followUp ? state?.lastHealthSet : undefined);
      if (!serverName) {
        await notice(t('ask.whichServer'), [
          t('ask.knownServers', {
            servers: joinList(
              t,
              servers.map((s) => s.name),
            ),
          }),
        ]);
        return;
      }
      const server = findServer(servers, serverName);
      if (!server) return void (await notice(t('ask.unknownServer', { server: serverName })));
      await askAbout(ctx, {
        conversation,
        actor,
        question: event.text,
        locale,
        server,
        ...(healthSet ? { healthSet } : {}),
      });
      return;
    }
  }
}
