/**
 * One fault scenario per runbook family: the question names the failing monitor and its probe
 * result, offers that family's ladder, and walking the ladder (with approvals) mends the fault.
 */
import { describe, expect, it } from 'vitest';
import { cardText, createHarness, stepLabelOf } from './harness.ts';
import { FAMILY_CASES } from './family-cases.ts';

describe('every runbook family answers its fault scenario', () => {
  for (const c of FAMILY_CASES) {
    it(`${c.scenario}: names ${c.monitor}${c.probe ? ' and its probe result' : ''}, offers the ${c.healthSet} ladder, and the ladder mends it`, async () => {
      const h = await createHarness(c.scenario);
      await h.ask(c.question);
      const card = h.lastCard('diagnosis')!;
      const facts = Object.fromEntries(card.facts.map((f) => [f.label, f.value]));
      expect(card.title).toMatch(new RegExp(`^${c.healthSet.replace('.', '\\.')} on `));
      expect(facts['Failing']).toContain(c.monitor);
      if (c.probe) {
        expect(facts['Probe rerun']).toContain(`${c.probe} on`);
        expect(facts['Probe rerun']).toMatch(/→ Failed/);
      }
      expect(stepLabelOf(card)).toMatch(c.firstStep);
      // Texts name the server the step is about; no placeholder reaches the card.
      expect(cardText(card)).not.toContain('{{');

      const walked = await h.walkUntil(c.fix);
      for (const b of c.before ?? []) expect(walked.some((l) => b.test(l))).toBe(true);
      const fixId = h.lastCard('diagnosis')!.actions[0]!.id;
      const pending = (await h.store.listApprovals({ states: ['pending'] })).length;
      await h.click(fixId, h.people.alice);
      if ((await h.store.listApprovals({ states: ['pending'] })).length > pending)
        for (const p of ['bob', 'dave'] as const) {
          const approval = h.lastCard('approval');
          if (approval?.actions.some((a) => a.label === 'Approve'))
            await h.click(h.button(approval, /^Approve$/), h.people[p]);
        }
      // The fault is gone from the lab: the monitor reads Healthy again.
      const server = card.title.split(' on ')[1]!.split(':')[0]!;
      const health = await h.gateway.run({ kind: 'get-server-health', server, healthSets: [c.healthSet] });
      expect(health.find((m) => m.monitor === c.monitor)?.alertValue, cardText(h.lastCard('diagnosis'))).toBe(
        'Healthy',
      );
    });
  }
});
