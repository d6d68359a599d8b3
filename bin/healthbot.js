#!/usr/bin/env node
// `npx healthbot ...` right after `npm ci`: load the TypeScript sources through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
