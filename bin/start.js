#!/usr/bin/env node
// `npm start`: the bundled bot when the build is fresh, else the sources through tsx.
// package.json starts it with a small young generation (--max-semi-space-size=1) and
// --optimize-for-size: a bot holding a thousand pending approvals grew by 100 MiB and more of
// garbage V8 had not collected yet, against about 20 MiB with these (its live heap grows a few MiB).
// Run `node bin/start.js` (or the bundle, `node dist/main.js`) yourself? Pass the same flags.
import { load } from './launch.js';

await load('main');
