/**
 * What the engine reports for metrics and logs. Every method is optional to implement: the
 * composition root wires Prometheus counters and the structured logger behind it.
 */
export interface EngineObserver {
  diagnosis?(durationMs: number, status: string): void;
  probe?(durationMs: number, resultType: string): void;
  approval?(state: string): void;
  error?(where: string, err: unknown): void;
  info?(message: string, fields?: Readonly<Record<string, unknown>>): void;
}
