/**
 * Prometheus metrics, all prefixed `healthbot_`, and the engine observer that feeds them.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver } from '../core/index.ts';
import type { Logger } from './logger.ts';

export interface Metrics {
  readonly registry: Registry;
  readonly observer: EngineObserver;
  readonly httpRequests: Counter<'route' | 'status'>;
}

export function createMetrics(logger?: Logger): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'healthbot_' });
  const diagnoses = new Counter({
    name: 'healthbot_diagnoses_total',
    help: 'Diagnoses run, by outcome',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const diagnosisSeconds = new Histogram({
    name: 'healthbot_diagnosis_duration_seconds',
    help: 'Wall time of a diagnosis, from the question to the findings',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const probes = new Counter({
    name: 'healthbot_probes_total',
    help: 'Probes rerun, by result type',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const probeSeconds = new Histogram({
    name: 'healthbot_probe_duration_seconds',
    help: 'Duration of rerun probes as Exchange reports it',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const approvals = new Counter({
    name: 'healthbot_approvals_total',
    help: 'Approval state transitions, by the state reached',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'healthbot_errors_total',
    help: 'Errors, by where they happened',
    labelNames: ['where'] as const,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'healthbot_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const observer: EngineObserver = {
    diagnosis(ms, status) {
      diagnoses.inc({ status });
      diagnosisSeconds.observe(ms / 1000);
    },
    probe(ms, result) {
      probes.inc({ result });
      probeSeconds.observe(ms / 1000);
    },
    approval(state) {
      approvals.inc({ state });
    },
    error(where, err) {
      errors.inc({ where });
      logger?.error(
        {
          where,
          err:
            err instanceof Error
              ? { message: err.message, name: err.name, code: (err as { code?: unknown }).code }
              : String(err),
        },
        'error',
      );
    },
    info(message, fields) {
      logger?.info(fields ?? {}, message);
    },
  };
  return { registry, observer, httpRequests };
}
