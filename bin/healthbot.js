#!/usr/bin/env node
// `npx healthbot ...`: the bundled CLI when the build is fresh, else the sources through tsx.
import { load } from './launch.js';

const { runCli } = await load('cli');
process.exitCode = await runCli(process.argv.slice(2));
