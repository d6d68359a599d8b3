/**
 * Requests first: while requests are arriving, work that could wait (handing an acknowledged
 * event to Bolt, starting a queued task, an embedded-store query) waits until they pause.
 *
 * Slack needs its answer within 3 s and Teams holds a message until it is answered. Each of the
 * schedulers that feed the engine already starts one thing per turn of the event loop, but each
 * such thing is a chunk of synchronous CPU (a diagnosis's first rendering, a WebAssembly query),
 * and one of each runs in every turn. In a burst of 200 events the later requests were read only
 * after dozens of those chunks had run between the earlier ones (issue 20: p99 250 ms on a quiet
 * machine, while reading and answering 200 requests alone takes about a fifth of that). With
 * this gate those turns read and answer requests only, and the work they queued starts once
 * no request has arrived for `quietMs`.
 *
 * The wait is bounded: after `maxHoldMs` of requests without a pause, work and requests take
 * turns again as if there were no gate, until the next pause. A steady stream therefore slows the
 * work down no more than it did before, and nothing waits for long.
 *
 * The bot uses one gate for the whole process (`requestsFirst`): the HTTP receivers say when a
 * request arrives, and every scheduler of deferrable work asks it for its next turn.
 */

/** Runs `then` at a later turn of the event loop, after I/O that is ready has been handled. */
export type NextTurn = (then: () => void) => void;

export interface RequestsFirstOptions {
  /** Milliseconds, monotonic. */
  readonly now?: () => number;
  /** How long no request must have arrived before held work runs. */
  readonly quietMs?: number;
  /** The longest that held work waits while requests keep arriving. */
  readonly maxHoldMs?: number;
  /** The next turn of the event loop, after I/O (setImmediate). */
  readonly immediate?: (then: () => void) => void;
  /** A timer (setTimeout). */
  readonly after?: (ms: number, then: () => void) => void;
}

export const QUIET_MS = 5;
export const MAX_HOLD_MS = 500;

export class RequestsFirst {
  private readonly now: () => number;
  private readonly quietMs: number;
  private readonly maxHoldMs: number;
  private readonly immediate: (then: () => void) => void;
  private readonly after: (ms: number, then: () => void) => void;
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** When work first found requests arriving and waited; undefined after a pause. */
  private holdingSince: number | undefined;
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(options: RequestsFirstOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.quietMs = options.quietMs ?? QUIET_MS;
    this.maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
    this.immediate = options.immediate ?? ((then) => void setImmediate(then));
    this.after = options.after ?? ((ms, then) => void setTimeout(then, ms));
  }

  /** A request was read: what waits for a turn waits until the requests pause. */
  arrived(): void {
    this.lastArrival = this.now();
  }

  /** How many callbacks wait for their turn (tests, metrics). */
  get held(): number {
    return this.waiting.length;
  }

  /**
   * Runs `then` at a later turn, in the order asked, once no request has arrived for `quietMs`
   * (or requests have kept arriving for `maxHoldMs`). Everything asked for before a turn runs in
   * that turn: one scheduler asking once per turn keeps starting one thing per turn.
   */
  readonly nextTurn: NextTurn = (then) => {
    this.waiting.push(then);
    this.schedule();
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.immediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    const now = this.now();
    const quietFor = now - this.lastArrival;
    if (quietFor < this.quietMs) {
      this.holdingSince ??= now;
      const heldFor = now - this.holdingSince;
      if (heldFor < this.maxHoldMs) {
        // Look again when the pause would be long enough, on the turn after the timer, so that
        // requests which arrived meanwhile are read (and move the pause) before deciding.
        this.scheduled = true;
        const wait = Math.max(1, Math.min(this.quietMs - quietFor, this.maxHoldMs - heldFor));
        this.after(wait, () => this.immediate(() => this.turn()));
        return;
      }
      // Held long enough: take turns with the requests until they pause.
    } else {
      this.holdingSince = undefined;
    }
    const due = this.waiting.splice(0);
    let failure: { err: unknown } | undefined;
    for (const run of due) {
      try {
        run();
      } catch (err) {
        failure ??= { err };
      }
    }
    // One failing callback must not strand the others; its error still surfaces as it would have.
    if (failure) throw failure.err;
  }
}

/** The process's one gate: the bot's receivers report to it, its schedulers wait on it. */
export const requestsFirst = new RequestsFirst();
