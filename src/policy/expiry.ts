/**
 * How long an approval request stays open, when both the environment
 * (HEALTHBOT_APPROVAL_EXPIRY_MINUTES) and the policy file (`policy.expiryMinutes`) may say.
 *
 * The policy file wins. It is where every other approval rule lives (who approves, how many
 * approvals), it is reviewed as one document, and every replica reads the same file; an
 * environment variable differs per process and is easy to leave behind. The environment sets
 * the expiry only for a policy file that does not, and for the locked policy without a file.
 * A conflict (both set, different values) is reported at start and by `healthbot doctor`.
 */
export interface ExpiryChoice {
  readonly minutes: number;
  readonly source: 'policy-file' | 'environment' | 'default';
  /** Set when the environment names a value that the policy file overrides. */
  readonly conflict?: string;
}

export interface ExpirySources {
  /** HEALTHBOT_APPROVAL_EXPIRY_MINUTES, or its default when `explicit` is false. */
  readonly environment: { readonly minutes: number; readonly explicit: boolean };
  readonly policyFile?: { readonly path: string; readonly minutes?: number };
}

export function chooseExpiry({ environment, policyFile }: ExpirySources): ExpiryChoice {
  if (policyFile?.minutes !== undefined) {
    const conflict =
      environment.explicit && environment.minutes !== policyFile.minutes
        ? `HEALTHBOT_APPROVAL_EXPIRY_MINUTES=${environment.minutes} is ignored: the policy file ${policyFile.path} sets expiryMinutes: ${policyFile.minutes}, and the policy file wins. Remove one of them.`
        : undefined;
    return { minutes: policyFile.minutes, source: 'policy-file', ...(conflict ? { conflict } : {}) };
  }
  return { minutes: environment.minutes, source: environment.explicit ? 'environment' : 'default' };
}
