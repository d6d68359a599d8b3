#!/usr/bin/env node
// `npm start`: the compiled bot when the build is fresh, else the sources through tsx.
import { load } from './launch.js';

await load('src/main');
