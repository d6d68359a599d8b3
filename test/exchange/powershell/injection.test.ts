/**
 * Hostile values through every operation: none may reach the text PowerShell parses.
 *
 * Two properties. The first is about the data path itself: whatever the values (quotes of every
 * kind PowerShell accepts, `$(...)`, backticks, semicolons, newlines, very long strings), the
 * command line is the fixed template with only base64 in its two holes, its script is the
 * operation's fixed script to the byte, and the values come back out unchanged. The second runs
 * the same values through the gateway and the stand-in pwsh, which records every line it gets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation, OperationKind, ServerInfo } from '../../../src/core/index.ts';
import { GATEWAY_OPERATION_KINDS, GatewayError, OPERATION_KINDS } from '../../../src/core/index.ts';
import { decodeInvocation, invocationLine } from '../../../src/exchange/powershell/encode.ts';
import { valuesFor } from '../../../src/exchange/powershell/request.ts';
import { SCRIPTS } from '../../../src/exchange/powershell/scripts.ts';
import { contoso, fakeEnv } from '../../fixtures/fake-pwsh/org.ts';
import { gatewayOn } from './helpers.ts';

/** Characters with a meaning to PowerShell's parser, including the Unicode quotes it accepts. */
const DANGEROUS = [
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  ';',
  '\n',
  '\r',
  '{',
  '}',
  '|',
  '&',
  '#',
  '<',
  '>',
  '@',
  ',',
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  '\u201C',
  '\u201D',
  '\u201E',
  '\u0000',
  '\u2028',
];
const PAYLOADS = [
  "'; Restart-Computer -Force; '",
  '"; Stop-Computer; "',
  '$(Stop-Computer -Force)',
  '`$(whoami)`',
  '\u2018; Remove-Item C:\\ -Recurse; \u2019',
  '\u201C$(Stop-Computer)\u201D',
  '\u201A;calc\u201B',
  '\u201Ex\u201E; iex x',
  'server1\nStop-Computer',
  'server1\r\nRestart-Computer',
  '@{a=$(whoami)}',
  '${function:prompt}',
  '<# #> ; iisreset',
  'a | Out-File C:\\x',
  "x' + (Stop-Computer) + 'y",
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.string({ unit: fc.constantFrom(...DANGEROUS, 'a', 'Z', '0', ' ', '\\', '-', '.'), minLength: 1, maxLength: 60 }),
  fc
    .tuple(fc.integer({ min: 1000, max: 50_000 }), fc.constantFrom(...PAYLOADS))
    .map(([n, p]) => `${'A'.repeat(n)}${p}`),
);

/** Any value in any field, including types the catalogue does not allow (stored JSON can lie). */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.constant(undefined),
  fc.boolean(),
  fc.array(hostile, { maxLength: 3 }),
);

function operation(kind: OperationKind): fc.Arbitrary<Operation> {
  return fc
    .record({
      server: hostile,
      healthSets: fc.array(hostile, { maxLength: 3 }),
      healthSet: hostile,
      probe: hostile,
      service: hostile,
      appPool: hostile,
      mode: anything,
      restorePolicy: anything,
      protocol: anything,
      enabled: anything,
      resultNames: fc.array(hostile, { maxLength: 3 }),
      monitors: anything,
      sinceMinutes: anything,
    })
    .map((v) => ({ kind, ...v }) as unknown as Operation);
}

const TEMPLATE =
  /^& \(\[ScriptBlock\]::Create\(\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('[A-Za-z0-9+/]*={0,2}'\)\)\)\) '[A-Za-z0-9+/]*={0,2}'$/;
const meaningful = (v: string) => v.length >= 4 && DANGEROUS.some((c) => v.includes(c));

describe('values never become PowerShell code', () => {
  it.each(GATEWAY_OPERATION_KINDS)(
    '%s: the command line is the fixed template, the fixed script, and the values as data',
    (kind) => {
      fc.assert(
        fc.property(operation(kind), (op) => {
          // The server would come from the inventory; here it is hostile too, to test the encoding alone.
          const server = { name: op.server, fqdn: `${op.server}.contoso.com`, roles: ['Mailbox'] } as ServerInfo;
          const values = valuesFor(op, server, 60_000);
          const line = invocationLine(SCRIPTS[kind], values);
          expect(line).toMatch(TEMPLATE);
          expect(line).not.toMatch(/[\n\r\u2018-\u201E]/);
          for (const v of Object.values(op).flat())
            if (typeof v === 'string' && meaningful(v)) expect(line).not.toContain(v);
          const decoded = decodeInvocation(line)!;
          expect(decoded.script).toBe(SCRIPTS[kind]);
          expect(decoded.values).toEqual(JSON.parse(JSON.stringify(values)));
        }),
        { numRuns: 60 },
      );
    },
  );

  it('no fixed script contains a value slot other than $HbValues', () => {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      expect(script.startsWith(`# healthbot-script: ${name}\nparam([string]$HbValues)`)).toBe(true);
      // Nothing is ever evaluated from text at run time inside a script.
      expect(script).not.toMatch(/Invoke-Expression|\biex\b|\[ScriptBlock\]::Create|ExpandString|AddScript/i);
    }
  });

  it('through the gateway and the stand-in pwsh, every line it receives is a fixed script with data', async () => {
    const fake = fakeEnv(contoso());
    const g = await gatewayOn(fake, { operationTimeoutMs: 3000 });
    const valid = fc.record({
      kind: fc.constantFrom(...OPERATION_KINDS),
      server: fc.constantFrom('SERVER1', 'mbx1.contoso.com'),
      healthSets: fc.constant(['IMAP']),
      healthSet: fc.constant('IMAP'),
      probe: fc.constant('ImapCTPProbe'),
      service: fc.constant('MSExchangeIMAP4'),
      appPool: fc.constant('MSExchangeECPAppPool'),
      mode: fc.constant('allow'),
      protocol: fc.constant('imap'),
      enabled: fc.constant(false),
    });
    const candidates = fc.oneof(
      fc.constantFrom(...OPERATION_KINDS).chain((kind) => operation(kind)),
      // Half-valid operations: one hostile field among valid ones, so some runs reach Exchange.
      fc
        .tuple(
          valid,
          fc.constantFrom(
            'server',
            'healthSet',
            'probe',
            'service',
            'appPool',
            'healthSets',
            'mode',
            'restorePolicy',
            'protocol',
          ),
          hostile,
        )
        .map(
          ([op, field, value]) =>
            ({ ...op, [field]: field === 'healthSets' ? [value] : value }) as unknown as Operation,
        ),
      valid.map((op) => op as unknown as Operation),
    );
    const sent: string[] = [];
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(candidates, async (op) => {
        const before = fake.lines().length;
        const outcome = await g.run(op as never, { timeoutMs: 3000 }).then(
          () => 'ok',
          (e: unknown) => e,
        );
        if (outcome === 'ok') reached++;
        else {
          expect(outcome).toBeInstanceOf(GatewayError);
          expect(['unknown-server', 'not-allowed', 'failed']).toContain((outcome as GatewayError).code);
        }
        for (const { line } of fake.lines().slice(before)) {
          sent.push(line);
          expect(line).toMatch(TEMPLATE);
          const decoded = decodeInvocation(line)!;
          expect(Object.values(SCRIPTS)).toContain(decoded.script);
          for (const v of Object.values(op).flat())
            if (typeof v === 'string' && meaningful(v))
              expect(JSON.stringify(decoded.values)).not.toContain(JSON.stringify(v).slice(1, -1));
        }
      }),
      { numRuns: 150 },
    );
    expect(reached).toBeGreaterThan(10);
    expect(sent.length).toBeGreaterThan(reached);
  }, 60_000);
});
