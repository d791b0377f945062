/**
 * Credentials written into URLs (`https://user:password@host`) must not travel on: not into an
 * answer, a log line, an error or a probe's detail. The console refuses such URLs in its own
 * settings; a kubeconfig or an upstream's error text may still carry one, so every message that
 * leaves the console passes through here.
 */

/** `scheme://user:password@host`: credentials written into a URL. */
export function hasUserInfo(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(url.trim());
}

/** Every URL in `text` with its user-info part replaced by `***`. */
export function redactUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@"']*@/gi, "$1***@");
}
