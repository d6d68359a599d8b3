/**
 * The neutral card as HTML. Every string is escaped here, once: titles, facts, probe output and
 * names can carry anything a monitor error or a user typed. No inline event handlers; the page's
 * script finds buttons by their data attributes.
 */
import type { Card, CardAction, Section } from '../../src/core/index.ts';
import { cleanCard } from '../../src/core/index.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SEVERITY_MARK: Readonly<Record<Card['severity'], string>> = { ok: '✔', info: 'ℹ', warning: '⚠', critical: '✖' };

function section(s: Section): string {
  switch (s.kind) {
    case 'text':
      return `<p>${escapeHtml(s.text)}</p>`;
    case 'code':
      return `<pre><code>${escapeHtml(s.text)}</code></pre>`;
    case 'list':
      return `<ol>${s.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`;
  }
}

function button(a: CardAction): string {
  const confirm = a.confirm
    ? ` data-confirm-title="${escapeHtml(a.confirm.title)}" data-confirm-text="${escapeHtml(a.confirm.text)}" data-confirm-yes="${escapeHtml(a.confirm.yes)}" data-confirm-no="${escapeHtml(a.confirm.no)}"`
    : '';
  return `<button type="button" class="btn btn-${a.style}" data-action="${escapeHtml(a.id)}"${confirm}>${escapeHtml(a.label)}</button>`;
}

/**
 * `offered` leaves out the buttons the viewer could not use (the engine refuses such a click all
 * the same); without it every button is drawn.
 */
export function renderCard(input: Card, offered: (action: CardAction) => boolean = () => true): string {
  // Bidi controls go, as on every platform (a name or an Exchange error could read backwards).
  const cleaned = cleanCard(input);
  const card = { ...cleaned, actions: cleaned.actions.filter(offered) };
  const facts = card.facts.length
    ? `<dl class="facts">${card.facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd${f.style === 'danger' ? ' class="danger"' : ''}>${escapeHtml(f.value)}</dd>`).join('')}</dl>`
    : '';
  const actions = card.actions.length ? `<div class="actions">${card.actions.map(button).join('')}</div>` : '';
  const context = card.context ? `<footer class="context">${escapeHtml(card.context)}</footer>` : '';
  return [
    `<article class="card sev-${card.severity} kind-${card.kind}" data-kind="${card.kind}" data-severity="${card.severity}">`,
    `<header><span class="sev" aria-hidden="true">${SEVERITY_MARK[card.severity]}</span><h3>${escapeHtml(card.title)}</h3></header>`,
    facts,
    card.sections.map(section).join(''),
    actions,
    context,
    '</article>',
  ].join('');
}
