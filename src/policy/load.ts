/**
 * Reads the policy file (roles and approval rules) and, for the lab, its rehearsal personas.
 * Validated with every problem listed at once; unknown keys are rejected so a typo such as
 * `aprovers:` cannot silently leave a role empty.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import * as z from 'zod'; // as a namespace, so the bundle keeps only what is used (not zod's 50 locales)
import { ConfigError, OPERATION_KINDS } from '../core/index.ts';
import type { Policy } from '../core/index.ts';

export interface Persona {
  readonly id: string;
  readonly displayName: string;
  readonly directoryId?: string;
  readonly groups?: readonly string[];
}

export interface PolicyFile {
  readonly policy: Policy;
  readonly personas: readonly Persona[];
  /** `policy.expiryMinutes` as the file sets it; absent when the file leaves it to the default. */
  readonly expiryMinutes?: number;
}

const principal = z
  .strictObject({
    platform: z.string().min(1).optional(),
    userId: z.string().min(1).optional(),
    directoryId: z.string().min(3).optional(),
    group: z.string().min(1).optional(),
  })
  .refine((p) => [p.userId, p.directoryId, p.group].filter((v) => v !== undefined).length === 1, {
    message: 'name exactly one of userId, directoryId or group',
  });

const count = z.number().int().min(1).max(10);

const schema = z.strictObject({
  personas: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
        displayName: z.string().min(1),
        directoryId: z.string().min(3).optional(),
        groups: z.array(z.string().min(1)).optional(),
      }),
    )
    .default([]),
  policy: z.strictObject({
    askers: z.union([z.literal('everyone'), z.array(principal)]).default('everyone'),
    operators: z.array(principal).default([]),
    approvers: z.array(principal).default([]),
    approvalsByImpact: z
      .strictObject({ low: count, medium: count, high: count })
      .default({ low: 1, medium: 1, high: 1 }),
    rules: z
      .array(
        z.strictObject({
          operation: z.enum(OPERATION_KINDS as [string, ...string[]]),
          role: z.enum(['ClientAccess', 'Mailbox']).optional(),
          approvals: count,
        }),
      )
      .default([]),
    expiryMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
    // A quietened monitor hides real failures too: at most a week, and it always ends by itself.
    maxOverrideHours: z
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .optional(),
  }),
});

export function parsePolicy(text: string, file: string, defaults: { expiryMinutes: number }): PolicyFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${file}: ${i.path.join('.') || '(top)'}: ${i.message}`));
  }
  const { personas, policy } = result.data;
  const ids = new Set<string>();
  const problems: string[] = [];
  for (const p of personas) {
    if (ids.has(p.id)) problems.push(`${file}: personas: "${p.id}" appears twice`);
    ids.add(p.id);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    personas: personas as Persona[],
    policy: {
      ...(policy as Omit<Policy, 'expiryMinutes'>),
      expiryMinutes: policy.expiryMinutes ?? defaults.expiryMinutes,
    },
    ...(policy.expiryMinutes !== undefined ? { expiryMinutes: policy.expiryMinutes } : {}),
  };
}

export async function loadPolicyFile(file: string, defaults: { expiryMinutes: number }): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read the policy file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parsePolicy(text, file, defaults);
}
