/**
 * The web chat: an incident channel in the browser, the third adapter beside Slack and Teams and
 * the proof that the engine is platform-neutral. Lab personas make it a rehearsal channel: anyone
 * who can reach it can act as anyone, so it binds to loopback unless the administrator says
 * otherwise, and then requires a shared token (see src/config.ts and the README).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Request, Response, Router } from 'express';
import type {
  ActionAudience,
  Actor,
  Capabilities,
  Card,
  ChatAdapter,
  ChatEngine,
  ChatSurface,
  Clock,
  ConversationRef,
} from '../../src/core/index.ts';
import { cleanText } from '../../src/core/index.ts';
import type { HubMessage, WebMessage } from './hub.ts';
import { Hub } from './hub.ts';
import { renderPage } from './page.ts';
import { renderCard } from './render.ts';

export interface WebPersona {
  readonly id: string;
  readonly displayName: string;
  readonly directoryId?: string;
}

/**
 * The lab's controls in the header, given by the composition root only when the bot runs on the
 * lab (this adapter knows nothing of the lab itself). Absent: no picker, no button, no route.
 */
export interface WebLab {
  readonly scenarios: readonly { readonly id: string; readonly title: string }[];
  /** Starts `scenario` over on behalf of `by` (audited by the implementation); answers the scenario started. */
  reset(scenario: string, by: Actor): Promise<string>;
}

export interface WebChatOptions {
  /** The engine to hand events to; otherwise the one given to `start`. */
  readonly engine?: ChatEngine;
  readonly personas: readonly WebPersona[];
  readonly clock: Clock;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: object) => void;
  /** UI texts per language (`locales/<lng>/web.json`). */
  readonly texts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Shown in the header: which lab scenario runs. */
  readonly scenario?: string;
  /** The scenario picker and reset button (lab only). */
  readonly lab?: WebLab;
  /**
   * Could this person use a button with this audience? The page leaves out the buttons its persona
   * could not use (the engine still checks every click). Absent: every button is drawn.
   */
  readonly mayUse?: (viewer: Actor, audience: ActionAudience) => boolean;
  /** When set, every request needs it (cookie set by `/?token=`, or `Authorization: Bearer`). */
  readonly token?: string;
  /**
   * Is `authority` (a Host header, or the host part of an Origin) one this chat answers to?
   * `localPort` is the port the request came in on; `defaultPort` what a missing port means.
   * Requests under any other name are refused: that is what stops DNS rebinding.
   */
  readonly allowedHost: (authority: string | undefined, localPort: number | undefined, defaultPort?: number) => boolean;
}

export interface WebChat extends ChatAdapter {
  readonly router: Router;
}

const PREFIX = 'web:';
/**
 * The chat's API lives under its own path, not at /api/messages: that is Teams' endpoint, and a body
 * meant for Teams must never be read as a persona's message (page.js uses the same paths).
 */
export const WEB_API = '/chat';
const COOKIE = 'healthbot_web_token';
/** The longest message the chat takes; a longer one is refused in the person's language, never cut. */
export const MAX_TEXT = 4000;
/** The thread alert cards go to (a valid message id, so replies under it work like any thread's). */
const ALERTS_THREAD = 'alerts';
/** Message ids the hub hands out (`nextId`): a letter, then base-36 digits. */
const THREAD_ID = /^[a-z][0-9a-z]{1,40}$/;

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function preferredLanguage(req: Request, languages: readonly string[]): string {
  const header = req.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const base = part.split(';')[0]!.trim().toLowerCase().split('-')[0]!;
    if (languages.includes(base)) return base;
  }
  return 'en';
}

export function createWebChat(options: WebChatOptions): WebChat {
  const languages = Object.keys(options.texts);
  const personas = new Map(options.personas.map((p) => [p.id, p]));
  // A bot card is kept as a card and drawn per persona, with only the buttons they can use.
  const viewFor = (m: HubMessage, persona: string): WebMessage => {
    const { card, ...rest } = m;
    if (!card) return rest;
    const viewer = personas.get(persona);
    const may = options.mayUse;
    return {
      ...rest,
      html: renderCard(
        card,
        (a) => !a.audience || !may || (viewer !== undefined && may(actorFor(viewer, undefined), a.audience)),
      ),
    };
  };
  const hub = new Hub(viewFor);
  const threadOf = (ref: ConversationRef) => ref.slice(PREFIX.length);
  const now = () => options.clock.now().toISOString();
  const botAuthor = { id: 'healthbot', name: 'Healthbot', bot: true } as const;

  const surface: ChatSurface = {
    capabilities: { updateInPlace: true, ephemeral: true, threads: true, buttons: true } satisfies Capabilities,
    async post(conversation, card: Card) {
      const id = hub.nextId('b');
      hub.put({ id, thread: threadOf(conversation), author: botAuthor, at: now(), card, version: hub.nextVersion() });
      return id;
    },
    async update(conversation, ref, card) {
      const old = hub.get(ref);
      hub.put({
        ...(old ?? { id: ref, thread: threadOf(conversation), author: botAuthor, at: now() }),
        card,
        version: hub.nextVersion(),
      });
    },
    async notify(conversation, actor: Actor, card) {
      hub.put({
        id: hub.nextId('n'),
        thread: threadOf(conversation),
        author: botAuthor,
        at: now(),
        card,
        privateTo: actor.userId,
        version: hub.nextVersion(),
      });
    },
  };

  const actorFor = (persona: WebPersona, lang: unknown): Actor => ({
    platform: 'web',
    userId: persona.id,
    displayName: persona.displayName.replace(/\s*\(.*\)$/, ''),
    ...(persona.directoryId ? { directoryId: persona.directoryId } : {}),
    ...(typeof lang === 'string' && languages.includes(lang) ? { locale: lang } : {}),
  });

  const bound: { engine?: ChatEngine } = options.engine ? { engine: options.engine } : {};
  let closed = false;
  const router = express.Router();

  // Closed or not yet started: the chat accepts nothing it could not hand on.
  router.use((req, res, next) => {
    if (!closed && bound.engine) return next();
    res.status(503).json({ error: 'unavailable', message: 'the chat is not running' });
  });

  // DNS rebinding: a page elsewhere that points its own name at 127.0.0.1 reaches this router from
  // the local browser, with its own name in Host. Only the configured names are served.
  router.use((req, res, next) => {
    if (options.allowedHost(req.headers.host, req.socket.localPort)) return next();
    options.log('warn', 'web chat: refused a request for a host name it does not answer to', {
      host: String(req.headers.host ?? '').slice(0, 100),
    });
    res.status(421).json({ error: 'unknown-host', message: 'this host name is not served here' });
  });

  router.use((req, res, next) => {
    if (!options.token) return next();
    if (
      req.method === 'GET' &&
      req.path === '/' &&
      typeof req.query.token === 'string' &&
      sameToken(req.query.token, options.token)
    ) {
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`);
      return res.redirect(303, './');
    }
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (sameToken(cookie(req, COOKIE), options.token) || sameToken(bearer, options.token)) return next();
    res
      .status(401)
      .type('text/plain')
      .send(options.texts[preferredLanguage(req, languages)]?.forbidden ?? 'unauthorised');
  });

  // Cross-site requests: a page elsewhere must not make this browser post as a persona. The Origin
  // is checked against the allowed names, not against the request's own Host (which a rebinding
  // page controls). Browsers send Origin on every POST; clients without one are not browsers.
  const fromAllowedOrigin = (req: Request, res: Response): boolean => {
    const origin = req.headers.origin;
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'json-only', message: 'send application/json' });
      return false;
    }
    if (origin !== undefined && !allowedOrigin(origin, req.socket.localPort)) {
      res.status(403).json({ error: 'cross-origin', message: 'cross-origin request refused' });
      return false;
    }
    return true;
  };

  const allowedOrigin = (origin: string, localPort: number | undefined): boolean => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // `null` (sandboxed frames, file: pages) and garbage
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return options.allowedHost(url.host, localPort, url.protocol === 'https:' ? 443 : 80);
  };

  const personaOf = (req: Request, res: Response, id: unknown): WebPersona | undefined => {
    const persona = typeof id === 'string' ? personas.get(id) : undefined;
    if (!persona)
      res.status(400).json({
        error: 'unknown-persona',
        message: options.texts[preferredLanguage(req, languages)]?.unknownPersona ?? 'unknown persona',
      });
    return persona;
  };

  // After a restart the hub is empty while the store still holds open incidents and pending
  // approvals: their cards are drawn again from the store once, before the first page or stream.
  let restored: Promise<void> | undefined;
  const restore = (): Promise<void> => {
    const standing = bound.engine?.standingCards?.bind(bound.engine);
    if (!standing) return Promise.resolve();
    restored ??= standing((ref) => ref.startsWith(PREFIX)).then(
      (cards) => {
        for (const c of cards) {
          const thread = threadOf(c.conversation);
          // The thread's first message (the question, or the Alerts heading) was in memory too.
          if (thread !== c.messageRef && !hub.get(thread)) {
            const alerts = thread === ALERTS_THREAD;
            hub.put({
              id: thread,
              thread,
              author: alerts ? botAuthor : { id: 'asker', name: c.question.by, bot: false },
              at: c.at,
              text: alerts ? (options.texts.en?.alertsThread ?? 'Alerts') : c.question.text,
              version: hub.nextVersion(),
            });
          }
          if (!hub.get(c.messageRef))
            hub.put({
              id: c.messageRef,
              thread,
              author: botAuthor,
              at: c.at,
              card: c.card,
              version: hub.nextVersion(),
            });
        }
      },
      (err: unknown) => {
        restored = undefined; // tried again on the next page
        options.log('error', 'web chat: could not show the open incidents again', {
          err: err instanceof Error ? err.message : String(err),
        });
      },
    );
    return restored;
  };
  router.use(async (req, _res, next) => {
    if (req.method === 'GET') await restore();
    next();
  });

  let scenario = options.scenario;
  const lab = options.lab;
  if (lab) {
    // Changes the lab for everyone: guarded like every other post (host, token, JSON, origin).
    router.post(`${WEB_API}/lab/reset`, express.json({ limit: '1kb' }), async (req, res) => {
      if (!fromAllowedOrigin(req, res)) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const persona = personaOf(req, res, body.persona);
      if (!persona) return;
      const lang =
        typeof body.lang === 'string' && languages.includes(body.lang) ? body.lang : preferredLanguage(req, languages);
      const text = (key: string) => options.texts[lang]?.[key] ?? options.texts.en?.[key] ?? key;
      const wanted = typeof body.scenario === 'string' ? body.scenario : '';
      if (!lab.scenarios.some((sc) => sc.id === wanted))
        return void res.status(400).json({ error: 'unknown-scenario', message: text('unknownScenario') });
      const actor = actorFor(persona, body.lang);
      let started: string;
      try {
        started = await lab.reset(wanted, actor);
      } catch (err) {
        options.log('error', 'web chat: the lab reset failed', {
          err: err instanceof Error ? err.message : String(err),
        });
        return void res.status(500).json({ error: 'reset-failed', message: text('resetFailed') });
      }
      scenario = started;
      // Every open window is told, and its header follows.
      const id = hub.nextId('l');
      hub.put({
        id,
        thread: id,
        author: botAuthor,
        at: now(),
        labReset: { scenario: started, by: actor.displayName },
        version: hub.nextVersion(),
      });
      res.json({ scenario: started });
    });
  }

  router.get('/', (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(
      renderPage({
        lang: preferredLanguage(req, languages),
        texts: options.texts,
        personas: options.personas.map((p) => ({ id: p.id, displayName: p.displayName })),
        maxText: MAX_TEXT,
        languages,
        ...(scenario ? { scenario } : {}),
        ...(lab ? { scenarios: lab.scenarios } : {}),
        nonce,
      }),
    );
  });

  router.get(`${WEB_API}/events`, (req, res) => {
    const persona = personaOf(req, res, req.query.persona);
    if (!persona) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    for (const m of hub.visibleTo(persona.id)) res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
    const stop = hub.listen(persona.id, res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      stop();
    });
  });

  router.get(`${WEB_API}/messages`, (req, res) => {
    const persona = personaOf(req, res, req.query.persona);
    if (!persona) return;
    // `?thread=` narrows the answer to one conversation, for clients that follow one incident.
    const thread = typeof req.query.thread === 'string' ? req.query.thread : undefined;
    res.json(hub.visibleTo(persona.id, thread || undefined));
  });

  // Acknowledge at once, work after: the engine posts its answers through the surface. What was
  // handed over is tracked, so `idle()` and `close()` can wait for it.
  const inFlight = new Set<Promise<void>>();
  const handle = (event: Parameters<ChatEngine['handle']>[0]) => {
    const engine = bound.engine;
    if (!engine) return;
    const work = engine
      .handle(event)
      .catch((err: unknown) =>
        options.log('error', 'engine failed on a web event', { err: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  };
  const idle = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  router.post(`${WEB_API}/messages`, express.json({ limit: '16kb' }), (req, res) => {
    if (!fromAllowedOrigin(req, res)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const persona = personaOf(req, res, body.persona);
    if (!persona) return;
    // Shown on the page before the engine (which cleans every event) sees it: cleaned here as well.
    const text = typeof body.text === 'string' ? cleanText(body.text).trim() : '';
    if (!text) return void res.status(400).json({ error: 'empty', message: 'empty message' });
    if ([...text].length > MAX_TEXT) {
      const lang =
        typeof body.lang === 'string' && languages.includes(body.lang) ? body.lang : preferredLanguage(req, languages);
      const sentence = (options.texts[lang]?.tooLong ?? options.texts.en?.tooLong ?? 'message too long').replace(
        '{{max}}',
        String(MAX_TEXT),
      );
      return void res.status(413).json({ error: 'too-long', message: sentence });
    }
    const thread = typeof body.thread === 'string' && hub.get(body.thread) ? hub.get(body.thread)!.thread : undefined;
    const id = hub.nextId('u');
    const actor = actorFor(persona, body.lang);
    hub.put({
      id,
      thread: thread ?? id,
      author: { id: persona.id, name: actor.displayName, bot: false },
      at: now(),
      text,
      version: hub.nextVersion(),
    });
    const clientId = typeof body.clientId === 'string' ? body.clientId.slice(0, 80) : id;
    handle({ kind: 'message', eventId: `web:msg:${clientId}`, conversation: `${PREFIX}${thread ?? id}`, actor, text });
    res.status(202).json({ id, thread: thread ?? id });
  });

  router.post(`${WEB_API}/actions`, express.json({ limit: '4kb' }), (req, res) => {
    if (!fromAllowedOrigin(req, res)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const persona = personaOf(req, res, body.persona);
    if (!persona) return;
    const message = typeof body.messageId === 'string' ? hub.get(body.messageId) : undefined;
    // After a restart the page still shows its cards, but this process has not seen them: the
    // thread the page names is enough, because the engine checks that the button belongs to it.
    const thread =
      message?.thread ?? (typeof body.thread === 'string' && THREAD_ID.test(body.thread) ? body.thread : undefined);
    if (!thread || typeof body.actionId !== 'string')
      return void res.status(400).json({ error: 'unknown-message', message: 'that card is no longer here' });
    const clickId = typeof body.clickId === 'string' ? body.clickId.slice(0, 80) : hub.nextId('c');
    handle({
      kind: 'action',
      eventId: `web:click:${clickId}`,
      conversation: `${PREFIX}${thread}`,
      actor: actorFor(persona, body.lang),
      actionId: body.actionId.slice(0, 200),
    });
    res.status(202).json({ ok: true });
  });

  return {
    name: 'web',
    capabilities: surface.capabilities,
    surface,
    async postAlert(card) {
      // The thread's root names it; made again if the hub dropped it with old messages.
      if (!hub.get(ALERTS_THREAD))
        hub.put({
          id: ALERTS_THREAD,
          thread: ALERTS_THREAD,
          author: botAuthor,
          at: now(),
          text: options.texts.en?.alertsThread ?? 'Alerts',
          version: hub.nextVersion(),
        });
      const conversation = `${PREFIX}${ALERTS_THREAD}`;
      return { conversation, messageRef: await surface.post(conversation, card) };
    },
    owns: (ref) => ref.startsWith(PREFIX),
    router,
    description: 'web',
    async start(engine) {
      bound.engine ??= engine;
    },
    idle,
    async close() {
      closed = true;
      await idle();
      hub.closeAll();
    },
  };
}
