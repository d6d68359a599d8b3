/**
 * Turns what would end a bot process (an uncaught exception, an unhandled rejection) into a
 * promise that rejects, so a test can race each request against it instead of waiting on a clock:
 * a request whose handler throws never answers, and without this the test would only time out.
 */
export interface CrashWatch {
  /** Rejects with the first uncaught error since the watch started. */
  readonly crashed: Promise<never>;
  /** The request's outcome, or the crash it caused, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T>;
  stop(): void;
}

export function watchForCrashes(): CrashWatch {
  let fail!: (err: unknown) => void;
  const crashed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  // Nobody may await `crashed` when nothing goes wrong; that is not itself an unhandled rejection.
  crashed.catch(() => undefined);
  const onError = (err: unknown) => fail(err);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return {
    crashed,
    race: (work) => Promise.race([work, crashed]),
    stop() {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    },
  };
}
