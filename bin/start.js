#!/usr/bin/env node
// `npm start`: the bundled bot when the build is fresh, else the sources through tsx.
// package.json starts it with a small young generation (--max-semi-space-size=1): after 300
// questions and clicks the bot is back to its idle size within seconds (live heap grows a few MiB),
// where without the flag it held about 100 MiB more for over a minute. --optimize-for-size, used
// before, kept the peak lower still (+25 MiB) but cost a third more CPU on the same work (31 s
// against 20 s for 300 approvals) and so slower answers in a burst; its settled size was the same.
// Run `node bin/start.js` (or the bundle, `node dist/main.js`) yourself? Pass the same flag.
import { load } from './launch.js';

await load('main');
