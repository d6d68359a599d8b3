// The incident channel in the browser. Server-sent events bring every message and card update;
// clicks and questions go back as JSON posts. Cards arrive as HTML the server already escaped.
(() => {
  const boot = JSON.parse(document.getElementById('boot').textContent);
  const $ = (sel, root = document) => root.querySelector(sel);
  // The persona is per window (sessionStorage): two tabs can be two people in a rehearsal.
  const state = {
    persona: sessionStorage.getItem('hb.persona') || boot.personas[0]?.id || '',
    lang: localStorage.getItem('hb.lang') || boot.lang,
    messages: new Map(),
    source: null,
  };
  const t = (key, vars = {}) =>
    (boot.texts[state.lang]?.[key] ?? boot.texts.en[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, k) => vars[k] ?? '');
  const esc = (s) =>
    String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  function applyTexts() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of document.querySelectorAll('[data-t-placeholder]')) el.placeholder = t(el.dataset.tPlaceholder);
    for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString(state.lang, { hour: '2-digit', minute: '2-digit' });
  }

  function messageHtml(m) {
    const who = m.author.bot ? t('bot') : m.author.name;
    const note = m.privateTo ? `<span class="private-note">${esc(t('onlyYou'))}</span>` : '';
    const body =
      m.html ??
      (m.labReset
        ? `<span class="text lab-reset">${esc(t('labResetNotice', { who: m.labReset.by, scenario: m.labReset.scenario }))}</span>`
        : `<span class="text">${esc(m.text ?? '')}</span>`);
    return `<div class="msg${m.privateTo ? ' private' : ''}" id="m-${esc(m.id)}" data-id="${esc(m.id)}" data-thread="${esc(m.thread)}"><span class="who">${esc(who)}</span><span class="at">${esc(time(m.at))}</span>${note}${m.html ? '' : ' '}${body}</div>`;
  }

  function render() {
    const list = $('#threads');
    const threads = new Map();
    for (const m of state.messages.values()) {
      if (!threads.has(m.thread)) threads.set(m.thread, []);
      threads.get(m.thread).push(m);
    }
    const focused = document.activeElement;
    const focusKey = focused?.dataset?.action
      ? `a:${focused.dataset.action}`
      : focused?.name === 'reply'
        ? `r:${focused.closest('.thread')?.dataset.thread}`
        : null;
    const replyDrafts = new Map(
      [...document.querySelectorAll('form.reply input')].map((i) => [i.closest('.thread').dataset.thread, i.value]),
    );
    list.innerHTML =
      threads.size === 0
        ? `<p class="empty">${esc(t('empty'))}</p>`
        : [...threads]
            .map(([thread, msgs]) => {
              const [root, ...rest] = msgs;
              return `<section class="thread" data-thread="${esc(thread)}">${messageHtml(root)}<div class="replies">${rest.map(messageHtml).join('')}
        <form class="reply"><input type="text" name="reply" autocomplete="off" placeholder="${esc(t('replyPlaceholder'))}" aria-label="${esc(t('reply'))}"><button class="btn" type="submit">${esc(t('send'))}</button></form></div></section>`;
            })
            .join('');
    for (const [thread, value] of replyDrafts) {
      const i = $(`.thread[data-thread="${CSS.escape(thread)}"] input`);
      if (i) i.value = value;
    }
    if (focusKey?.startsWith('a:')) $(`[data-action="${CSS.escape(focusKey.slice(2))}"]`)?.focus();
    if (focusKey?.startsWith('r:')) $(`.thread[data-thread="${CSS.escape(focusKey.slice(2))}"] input`)?.focus();
  }

  async function post(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, persona: state.persona, lang: state.lang }),
    });
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      // A refusal the server words for the person (too long) is shown as it is.
      if (data.error === 'too-long') showNotice(data.message);
      else showError(data.message || res.statusText);
    }
  }

  function showError(message) {
    showNotice(t('error', { message }));
  }

  function showNotice(text) {
    $('#status').textContent = text;
    setTimeout(() => {
      if ($('#status').textContent === text) $('#status').textContent = '';
    }, 6000);
  }

  const marker = $('#new-marker');
  const atBottom = () => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 80;
  const newest = () => [...document.querySelectorAll('.msg')].pop();

  // A new message comes into view when the person was following along; otherwise a marker says
  // there is something new below, and leads there.
  function arrived(id, following) {
    if (following) document.getElementById(`m-${id}`)?.scrollIntoView({ block: 'nearest' });
    else marker.hidden = false;
  }
  marker.addEventListener('click', () => {
    newest()?.scrollIntoView({ block: 'nearest' });
    marker.hidden = true;
  });
  window.addEventListener(
    'scroll',
    () => {
      if (atBottom()) marker.hidden = true;
    },
    { passive: true },
  );

  function connect() {
    state.source?.close();
    state.messages.clear();
    const source = new EventSource(`chat/events?persona=${encodeURIComponent(state.persona)}`);
    state.source = source;
    source.addEventListener('message', (e) => {
      const m = JSON.parse(e.data);
      const known = state.messages.get(m.id);
      if (known && known.version > m.version) return;
      // Read before the page grows: was the person following the newest messages?
      const following = atBottom();
      state.messages.set(m.id, m);
      // The lab was reset (from this window or another): the header shows the scenario now running.
      if (m.labReset && !known) {
        const pick = $('#scenario-pick');
        if (pick) pick.value = m.labReset.scenario;
      }
      render();
      if (!known) arrived(m.id, following);
      document.body.dataset.messages = String(state.messages.size);
    });
    source.addEventListener('reset', () => {
      state.messages.clear();
      render();
    });
    source.onopen = () => {
      $('#status').textContent = '';
    };
    source.onerror = () => {
      $('#status').textContent = t('disconnected');
    };
  }

  function confirmDialog(button) {
    const dialog = $('#confirm');
    $('#confirm-title').textContent = button.dataset.confirmTitle;
    $('#confirm-text').textContent = button.dataset.confirmText;
    $('#confirm-yes').textContent = button.dataset.confirmYes;
    $('#confirm-no').textContent = button.dataset.confirmNo;
    dialog.showModal();
    return new Promise((resolve) =>
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true }),
    );
  }

  document.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    if (button.dataset.confirmTitle && !(await confirmDialog(button))) return;
    const message = button.closest('.msg');
    button.disabled = true;
    try {
      await post('chat/actions', {
        actionId: button.dataset.action,
        messageId: message.dataset.id,
        thread: message.dataset.thread,
        clickId: crypto.randomUUID(),
      });
    } finally {
      button.disabled = false;
    }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    // The confirm dialog's own form closes the dialog; it is not a message.
    if (form.method === 'dialog') return;
    e.preventDefault();
    const input = form.querySelector('input[type=text]');
    const text = input.value.trim();
    if (!text) return;
    // Refused here in the person's words, never cut short; the draft stays in the box to shorten.
    if (boot.maxText && [...text].length > boot.maxText) return showNotice(t('tooLong', { max: boot.maxText }));
    input.value = '';
    const thread = form.classList.contains('reply') ? form.closest('.thread').dataset.thread : undefined;
    await post('chat/messages', { text, thread, clientId: crypto.randomUUID() });
  });

  const personaSelect = $('#persona');
  personaSelect.innerHTML = boot.personas
    .map((p) => `<option value="${esc(p.id)}">${esc(p.displayName)}</option>`)
    .join('');
  if (!boot.personas.some((p) => p.id === state.persona)) state.persona = boot.personas[0]?.id || '';
  personaSelect.value = state.persona;
  personaSelect.addEventListener('change', () => {
    state.persona = personaSelect.value;
    sessionStorage.setItem('hb.persona', state.persona);
    connect();
  });
  const langSelect = $('#lang');
  langSelect.value = state.lang;
  langSelect.addEventListener('change', () => {
    state.lang = langSelect.value;
    localStorage.setItem('hb.lang', state.lang);
    applyTexts();
    render();
  });
  $('#lab-reset')?.addEventListener('click', async (e) => {
    e.currentTarget.disabled = true;
    try {
      await post('chat/lab/reset', { scenario: $('#scenario-pick').value });
    } finally {
      $('#lab-reset').disabled = false;
    }
  });
  applyTexts();
  render();
  connect();
})();
