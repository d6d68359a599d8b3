/**
 * PowerShell's own parser over a set of scripts, in one pwsh process (starting pwsh costs most of
 * a second, parsing a script a millisecond). The scripts travel in a temporary JSON file, so no
 * script text is ever put on a command line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ParseProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

const PARSE_ALL = `
$ErrorActionPreference = 'Stop'
$scripts = Get-Content -Raw -LiteralPath $args[0] | ConvertFrom-Json -AsHashtable
$out = [ordered]@{}
foreach ($name in $scripts.Keys) {
  $tokens = $null; $errors = $null
  $null = [System.Management.Automation.Language.Parser]::ParseInput($scripts[$name], [ref]$tokens, [ref]$errors)
  $out[$name] = @($errors | ForEach-Object { [ordered]@{ message = $_.Message; line = $_.Extent.StartLineNumber; column = $_.Extent.StartColumnNumber; text = $_.Extent.Text } })
}
[Console]::Out.WriteLine((ConvertTo-Json -InputObject $out -Depth 5 -Compress))
`;

/** Parse problems per script name (an empty list: it parses). */
export async function parseWithPowerShell(
  pwsh: string,
  scripts: Readonly<Record<string, string>>,
): Promise<Record<string, ParseProblem[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-parse-'));
  const file = join(dir, 'scripts.json');
  const runner = join(dir, 'parse-all.ps1');
  writeFileSync(file, JSON.stringify(scripts));
  writeFileSync(runner, PARSE_ALL);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      pwsh,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', runner, file],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, out, errText) => {
        if (err) reject(new Error(`pwsh could not parse the scripts: ${err.message}\n${errText}`));
        else resolve(out);
      },
    );
  });
  return JSON.parse(stdout) as Record<string, ParseProblem[]>;
}
