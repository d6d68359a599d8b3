/**
 * The sending side of the Slack benchmark, in its own process so that its CPU does not count as
 * the bot's: reads `{ url, requests: [{ body, headers }] }` on stdin, fires them all at once, and
 * prints each request's time to the HTTP response (ms) and status as JSON.
 */
let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { url, requests } = JSON.parse(input) as { url: string; requests: { body: string; headers: Record<string, string> }[] };
const results = await Promise.all(
  requests.map(async ({ body, headers }) => {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body });
    const ms = performance.now() - t;
    await res.arrayBuffer();
    return { ms, status: res.status };
  }),
);
process.stdout.write(JSON.stringify(results));
