/**
 * Turns what a chat platform delivers into plain words. Slack wraps mentions and links in angle
 * brackets (`<@U123>`, `<http://server1.contoso.com|server1.contoso.com>`), Teams wraps mentions in
 * `<at>` tags, and people add punctuation, smart quotes and emphasis. None of that carries meaning.
 */

/** Replaces Slack's `<url|label>` by its label and drops mentions of users, groups and channels. */
function stripMarkup(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[@!#][^>]*>/g, ' ')
    .replace(/<([^>|]+)\|([^>]*)>/g, (_m, _url: string, label: string) => ` ${label} `)
    .replace(/<((?:https?|mailto):[^>]+)>/gi, (_m, url: string) => ` ${url.replace(/^(?:https?:\/\/|mailto:)/i, '')} `)
    .replace(/(?:^|\s)@[\w.-]+/g, ' ');
}

export interface Token {
  /** As typed, for messages ("did you mean IMAP?" quotes "IMPA", not "impa"). */
  readonly text: string;
  readonly lower: string;
}

/**
 * Tokens. Dots, hyphens and underscores stay inside a token (FQDNs, `IMAP.Proxy`, `ex-01`);
 * everything else that is not a letter or a digit separates tokens.
 */
export function tokenise(text: string): Token[] {
  const plain = stripMarkup(text)
    .normalize('NFC')
    .replace(/https?:\/\//gi, ' ')
    .replace(/['’‘`´]/g, '');
  return plain
    .split(/[^\p{L}\p{N}._-]+/u)
    .map((t) => t.replace(/^[._-]+|[._-]+$/g, ''))
    .filter((t) => t.length > 0)
    .map((t) => ({ text: t, lower: t.toLowerCase() }));
}

/** Splits a token further for matching health-set names: `imap.proxy` and `imap-proxy` are two words. */
export function subwords(token: string): string[] {
  return token.split(/[._-]+/).filter((w) => w.length > 0);
}
