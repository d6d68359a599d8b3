/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for logs and /healthz. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
