/**
 * Fault scenarios: YAML files under `config/lab-scenarios/`. A fault makes monitors unhealthy and
 * probes fail on named servers until one of the operations that fix it runs. Nothing in the lab
 * knows about IMAP or ECP: the scenarios say what breaks and what mends it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import { serverContextScenario } from './server-context.ts';
import { evidenceSchema } from './evidence.ts';
import {
  COMPONENT_REQUESTERS,
  COPY_STATUSES,
  ConfigError,
  OPERATION_KINDS,
  SERVICE_ALLOW_LIST,
} from '../../core/index.ts';

const symptom = z.strictObject({
  server: z.string(),
  healthSet: z.string(),
  monitor: z.string(),
  /** The probe that fails while the fault lasts (absent for counter-fed monitors). */
  probe: z.string().optional(),
  /** The probe's own health set when it differs from the monitor's (ImapSelfTestProbe feeds an IMAP monitor). */
  probeHealthSet: z.string().optional(),
  alertValue: z.enum(['Unhealthy', 'Degraded', 'Unavailable', 'Repairing']).default('Unhealthy'),
  error: z.string().optional(),
  exception: z.string().optional(),
});

const fix = z.strictObject({
  operation: z.enum(OPERATION_KINDS as [string, ...string[]]),
  server: z.string(),
  service: z.string().optional(),
  appPool: z.string().optional(),
  /** For set-server-component-state: the component, and the state that mends. */
  component: z.string().optional(),
  state: z.enum(['Active', 'Inactive', 'Draining']).optional(),
});

const fault = z.strictObject({
  id: z.string(),
  symptoms: z.array(symptom).min(1),
  /** The probe succeeds on rerun although Get-ServerHealth still reports the alert. */
  transient: z.boolean().default(false),
  /** How long before the start of the scenario the alert was first observed. */
  sinceMinutes: z.number().int().min(0).default(10),
  /** A fault scheduled over time: it breaks this long after the scenario starts (the alert demo). */
  startsAfterSeconds: z.number().int().min(0).optional(),
  /** ...and mends by itself this long after the start, whatever was done. */
  endsAfterSeconds: z.number().int().min(1).optional(),
  services: z
    .array(
      z.strictObject({
        server: z.string(),
        service: z.enum(SERVICE_ALLOW_LIST),
        status: z.enum(['Running', 'Stopped', 'StartPending', 'StopPending', 'Paused']),
      }),
    )
    .default([]),
  appPools: z
    .array(
      z.strictObject({
        server: z.string(),
        appPool: z.string(),
        status: z.enum(['Started', 'Stopped', 'Starting', 'Stopping']),
      }),
    )
    .default([]),
  /** Operations that mend the fault. A server restart also mends anything a service restart, app pool recycle or IISReset on that server would. */
  fixedBy: z.array(fix).default([]),
});

const componentState = z.enum(['Active', 'Inactive', 'Draining']);

/** What the organisation looks like, where a scenario needs it to differ from contoso.com's default. */
const organisation = {
  /** Servers beyond the default three, e.g. a standalone Mailbox server (dag: null). */
  servers: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Z0-9-]+$/),
        roles: z.array(z.enum(['ClientAccess', 'Mailbox'])).min(1),
        dag: z.string().nullable(),
        version: z.string().default('Version 15.0 (Build 1497.2)'),
      }),
    )
    .default([]),
  /** Replaces the default database copies: queues and content index included. */
  copies: z
    .array(
      z.strictObject({
        database: z.string(),
        server: z.string(),
        status: z.enum(COPY_STATUSES),
        activationPreference: z.number().int().min(1).optional(),
        copyQueueLength: z.number().int().min(0).optional(),
        replayQueueLength: z.number().int().min(0).optional(),
        contentIndexState: z.string().optional(),
      }),
    )
    .optional(),
  /** Component states other than Active, with who set them and how long ago. */
  components: z
    .array(
      z.strictObject({
        server: z.string(),
        component: z.string(),
        state: componentState,
        requester: z.enum(COMPONENT_REQUESTERS),
        minutesAgo: z.number().int().min(0).default(60),
      }),
    )
    .default([]),
  /** Servers whose DatabaseCopyAutoActivationPolicy is not Unrestricted, or whose activation is blocked. */
  activation: z
    .array(
      z.strictObject({
        server: z.string(),
        policy: z.enum(['Unrestricted', 'IntrasiteOnly', 'Blocked']),
        disabledAndMoveNow: z.boolean().default(false),
      }),
    )
    .default([]),
  /** Services set up differently from the default (Running, Automatic). */
  services: z
    .array(
      z.strictObject({
        server: z.string(),
        service: z.enum(SERVICE_ALLOW_LIST),
        status: z.enum(['Running', 'Stopped']),
        startType: z.enum(['Automatic', 'Manual', 'Disabled']),
      }),
    )
    .default([]),
  /** The health mailbox each server's probes use, and on which database (default: a database it holds). */
  monitoringMailboxes: z.array(z.strictObject({ server: z.string(), database: z.string() })).default([]),
  /** The directory servers each server uses now (default: dc1 and dc2). */
  directoryServers: z
    .array(
      z.strictObject({
        server: z.string(),
        domainControllers: z.array(z.string()),
        globalCatalogs: z.array(z.string()),
      }),
    )
    .default([]),
  /** Transport queues of a server (Get-Queue), and IIS sites that are stopped: the runbook families read them. */
  queues: z
    .array(
      z.strictObject({
        server: z.string(),
        identity: z.string(),
        deliveryType: z.string().optional(),
        status: z.string(),
        messageCount: z.number().int().min(0),
        nextHopDomain: z.string().optional(),
        lastError: z.string().optional(),
      }),
    )
    .default([]),
  stoppedSites: z.array(z.strictObject({ server: z.string(), site: z.string() })).default([]),
  /** How long a server restart takes (lab seconds): unreachable, then back with its components Active one by one. */
  restart: z
    .strictObject({
      downSeconds: z.number().int().min(1).default(30),
      componentSeconds: z.number().int().min(0).default(2),
    })
    .default({ downSeconds: 30, componentSeconds: 2 }),
};

const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  description: z.string().optional(),
  faults: z.array(fault).default([]),
  ...organisation,
  ...serverContextScenario,
  ...evidenceSchema,
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Fault = Scenario['faults'][number];
export type Fix = Fault['fixedBy'][number];

export async function loadScenario(dir: string, id: string): Promise<Scenario> {
  const files = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError([`cannot read the lab scenarios in ${dir} (${err.code ?? err.message})`]);
  });
  const file = files.find((f) => f === `${id}.yaml`);
  if (!file) {
    const known = files.filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    throw new ConfigError([`unknown lab scenario "${id}"; known: ${known.join(', ')}`]);
  }
  let data: unknown;
  try {
    data = parse(await readFile(join(dir, file), 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`]);
  }
  const result = scenarioSchema.safeParse(data);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((i) => `${file} ${i.path.join('.')}: ${i.message}`));
  if (result.data.id !== id) throw new ConfigError([`${file}: id "${result.data.id}" does not match the file name`]);
  return result.data;
}

export async function listScenarios(dir: string): Promise<{ id: string; title: string; description?: string }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const out: { id: string; title: string; description?: string }[] = [];
  for (const f of files) {
    const s = await loadScenario(dir, f.replace(/\.yaml$/, ''));
    out.push({ id: s.id, title: s.title, ...(s.description ? { description: s.description } : {}) });
  }
  return out;
}
