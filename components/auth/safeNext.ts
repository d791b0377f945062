/**
 * Where to go after signing in. Only a path inside the console is accepted: `//evil.example` and
 * `/\evil.example` are protocol-relative to browsers, so a crafted login link could otherwise send
 * someone to another site right after they signed in (open redirect).
 * https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(next) || next.startsWith("/login")) return "/";
  return next;
}
