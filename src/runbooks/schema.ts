/**
 * The shape of a runbook file. Strict objects everywhere: an unknown key is a typo or a feature
 * the engine does not have, and either way the runbook must not load silently without it.
 */
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import {
  APP_POOL_ALLOW_LIST,
  COMPONENT_ALLOW_LIST,
  COMPONENT_REQUESTERS,
  OPERATION_KINDS,
  SERVICE_ALLOW_LIST,
} from '../core/index.ts';

const role = z.enum(['ClientAccess', 'Mailbox']);
/** i18n keys in the `runbooks` namespace: dotted words, checked against every locale later. */
const i18nKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be an i18n key like imap.note.backendFirst');
const healthSetName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, 'must be a health set name like IMAP.Proxy');

const params = z.strictObject({
  service: z.enum(SERVICE_ALLOW_LIST).optional(),
  // IIS pool names vary in case in Microsoft's articles; the engine canonicalises them.
  appPool: z
    .string()
    .refine(
      (v) => APP_POOL_ALLOW_LIST.some((p) => p.toLowerCase() === v.toLowerCase()),
      'is not on the app pool allow-list',
    )
    .optional(),
  protocol: z.enum(['imap', 'pop']).optional(),
  enabled: z.boolean().optional(),
  mode: z.enum(['move-now', 'allow']).optional(),
  healthSets: z.array(healthSetName).min(1).optional(),
  component: z.enum(COMPONENT_ALLOW_LIST).optional(),
  state: z.enum(['Active', 'Inactive', 'Draining']).optional(),
  requester: z.enum(COMPONENT_REQUESTERS).optional(),
});

const when = z.strictObject({
  role: role.optional(),
  notRole: role.optional(),
  inDag: z.boolean().optional(),
  backendHealthy: z.literal(true).optional(),
});
const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case words joined by hyphens'),
  note: i18nKey.optional(),
  when: when.optional(),
};
const target = z.enum(['server', 'backend']);
const operation = z.enum(OPERATION_KINDS as [string, ...string[]]);

export const stepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('probe') }),
  z.strictObject({ ...base, kind: z.literal('check'), operation, target, params: params.optional() }),
  z.strictObject({
    ...base,
    kind: z.literal('action'),
    operation,
    target,
    params: params.optional(),
    impact: z.enum(['none', 'low', 'medium', 'high']).optional(),
    impactNote: i18nKey,
    undoes: z.string().optional(),
    offerAfter: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('wait'),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    then: z.enum(['server-health', 'probe']),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('manual'),
    text: i18nKey,
    paths: z.array(z.string().min(1)).optional(),
    commands: z.array(z.string().min(1)).optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('escalate') }),
]);

export const runbookSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: i18nKey,
  source: z.string().min(1),
  healthSets: z
    .array(
      z.strictObject({
        name: healthSetName,
        aliases: z.array(z.string().min(1)),
        roles: z.array(role).min(1),
        /** The Exchange versions that have this set (UM: 2013 and 2016 only); absent means every version. */
        versions: z
          .array(z.enum(['2013', '2016', '2019', 'SE']))
          .min(1)
          .optional(),
      }),
    )
    .min(1),
  related: z.array(healthSetName).default([]),
  components: z.array(z.enum(COMPONENT_ALLOW_LIST)).optional(),
  commonIssues: z.array(i18nKey).default([]),
  probes: z.array(
    z.strictObject({
      // Transport probes have dotted names (Mapi.Submit.Probe).
      name: z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/),
      healthSet: healthSetName,
      dependencies: z.array(i18nKey).default([]),
      backend: z.strictObject({ marker: z.string().min(1), healthSets: z.array(healthSetName).min(1) }).optional(),
    }),
  ),
  monitors: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9.]+$/),
        healthSet: healthSetName,
        probe: z.string().optional(),
        summary: i18nKey,
        ladder: z.array(stepSchema).min(1),
        /** Set by the loader: the ladder template the runbook wrote this ladder with. */
        template: z.string().optional(),
      }),
    )
    .min(1),
});

export const knownHealthSetsSchema = z.strictObject({
  healthSets: z.array(
    // `article: false`: a set of a newer version that no 2013 article documents (named for recognition only).
    z.strictObject({ name: healthSetName, aliases: z.array(z.string().min(1)), article: z.literal(false).optional() }),
  ),
});

export type RunbookFile = z.infer<typeof runbookSchema>;
