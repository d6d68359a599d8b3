/**
 * The incident-channel page: one HTML document with its style and script inline, so the bot
 * serves everything itself (no CDN, nothing fetched from elsewhere). Texts for every language
 * travel in the page, so switching language needs no round trip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { escapeHtml } from './render.ts';

// The browser script (page.js) and the style are read from this adapter's source folder: the
// nearest adapters/web/ with page.css at or above this module, which is the module's own folder
// when it runs from the sources and the project's adapters/web/ when it runs bundled in dist/.
function sourceFolder(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    for (const candidate of [dir, join(dir, 'adapters', 'web')])
      if (existsSync(join(candidate, 'page.css'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`healthbot: no adapters/web/page.css above ${import.meta.dirname}`);
  }
}
const here = sourceFolder();
const CSS = readFileSync(join(here, 'page.css'), 'utf8');
const JS = readFileSync(join(here, 'page.js'), 'utf8');

export interface PageModel {
  readonly lang: string;
  readonly texts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly personas: readonly { readonly id: string; readonly displayName: string }[];
  readonly languages: readonly string[];
  readonly scenario?: string;
  /** The lab's scenarios, for the picker beside the reset button (lab only). */
  readonly scenarios?: readonly { readonly id: string; readonly title: string }[];
  /** The longest message the chat takes (the page refuses longer ones before sending). */
  readonly maxText?: number;
  /** Per-response nonce for the Content-Security-Policy. */
  readonly nonce: string;
}

/** A small stethoscope-green "H" badge, inline so it needs no route (the CSP allows data: images). */
const FAVICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f7a4d"/><path d="M9 8v16M23 8v16M9 16h14" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>')}`;

/** JSON inside a <script> element: `<` escaped so no text can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The scenario picker and reset button on the lab; on the lab without them, the scenario's name; elsewhere nothing. */
function labControls(model: PageModel, t: (key: string) => string): string {
  if (model.scenarios) {
    const options = model.scenarios
      .map(
        (s) =>
          `<option value="${escapeHtml(s.id)}" title="${escapeHtml(s.title)}"${s.id === model.scenario ? ' selected' : ''}>${escapeHtml(s.id)}</option>`,
      )
      .join('');
    return `<label><span data-t="scenario">${t('scenario')}</span> <select id="scenario-pick">${options}</select></label>
  <button type="button" class="btn" id="lab-reset" data-t="resetLab">${t('resetLab')}</button>`;
  }
  return model.scenario
    ? `<label><span data-t="scenario">${t('scenario')}</span> <code id="scenario">${escapeHtml(model.scenario)}</code></label>`
    : '';
}

export function renderPage(model: PageModel): string {
  const t = (key: string) => escapeHtml(model.texts[model.lang]?.[key] ?? model.texts.en?.[key] ?? key);
  return `<!doctype html>
<html lang="${escapeHtml(model.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('title')}</title>
<link rel="icon" href="${FAVICON}">
<style nonce="${model.nonce}">${CSS}</style>
</head>
<body>
<header class="top">
  <h1><span data-t="bot">${t('bot')}</span> · <span data-t="channel">${t('channel')}</span></h1>
  <label><span data-t="persona">${t('persona')}</span> <select id="persona"></select></label>
  <label><span data-t="language">${t('language')}</span> <select id="lang">${model.languages.map((l) => `<option value="${escapeHtml(l)}">${escapeHtml(model.texts[l]?.languageName ?? l)}</option>`).join('')}</select></label>
${labControls(model, t)}
</header>
<p class="banner" data-t="rehearsal">${t('rehearsal')}</p>
<p class="status" id="status" role="status" aria-live="polite"></p>
<main id="threads" aria-live="polite"></main>
<button type="button" class="new-marker" id="new-marker" hidden data-t="newMessages">${t('newMessages')}</button>
<form class="composer" id="composer">
  <input type="text" name="text" autocomplete="off" data-t-placeholder="composer" data-t-label="composer" placeholder="${t('composer')}" aria-label="${t('composer')}" autofocus>
  <button class="btn btn-primary" type="submit" data-t="send">${t('send')}</button>
</form>
<dialog id="confirm"><form method="dialog"><h2 id="confirm-title"></h2><p id="confirm-text"></p>
<menu><button class="btn" value="no" id="confirm-no"></button><button class="btn btn-danger" value="yes" id="confirm-yes"></button></menu></form></dialog>
<script type="application/json" id="boot">${scriptJson({ lang: model.lang, texts: model.texts, personas: model.personas, scenario: model.scenario, maxText: model.maxText })}</script>
<script nonce="${model.nonce}">${JS}</script>
</body>
</html>`;
}
