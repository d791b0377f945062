/**
 * What every API request passes before its handler runs (apiRoute calls this):
 *   1. a change (any method but GET/HEAD/OPTIONS) must prove it comes from the console's own pages
 *      (see server/http/sameOrigin.ts) and must not be announced as a cross-site request by the
 *      browser (Sec-Fetch-Site: https://www.w3.org/TR/fetch-metadata/);
 *   2. a body announced larger than MAX_REQUEST_BYTES (server/http/requestBody.ts) is refused before
 *      it is read (413); one sent without a length is cut off by the reader at the same limit;
 *   3. with sign-in (token or openid), a request outside PUBLIC_ROUTES needs a live session that
 *      no replica has signed out (401 otherwise), and the handler then runs with `kube()`
 *      answering the person's own clients (server/auth/identity.ts decides who that is);
 *   4. view-only refuses every change whoever asks (403);
 *   5. changes are rate-limited per session (429 with Retry-After);
 *   6. expensive reads (graph, charts) are limited in number at once per session, or for the whole
 *      console without sign-in (429 with Retry-After; see server/http/readLimits.ts).
 */
import { getConfig, type AuthMode } from "@/server/config";
import { withKubeClients } from "@/server/kube";
import { errorResponse, jsonError, tooManyRequests } from "@/server/http/errors";
import { refuseUnlessSameOrigin } from "@/server/http/sameOrigin";
import { viewOnlyRefusal } from "@/server/kube/writes";
import { readLimiter, withinReadLimit } from "@/server/http/readLimits";
import { announcesTooLarge, RequestTooLargeError } from "@/server/http/requestBody";
import { withCookies } from "./cookies";
import { identify } from "./identity";
import { authState } from "./state";

/** Routes that answer without a session: probes, and signing in and out. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(["/api/health", "/api/ready", "/api/auth/login", "/api/auth/logout", "/api/auth/session", "/api/auth/openid/start", "/api/auth/openid/callback"]);
/** Routes whose changes are the person's own session, not the mesh: view-only and the change budget do not apply. */
const SESSION_ROUTES: ReadonlySet<string> = new Set(["/api/auth/login", "/api/auth/logout"]);

export interface AccessPolicy {
  mode: AuthMode;
  viewOnly: boolean;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isChange(request: Request): boolean {
  return !SAFE_METHODS.has(request.method.toUpperCase());
}

function refuseCrossSite(request: Request): Response | undefined {
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    return jsonError(403, { message: "Changes are only accepted from the console's own pages: the browser marked this request as cross-site", reason: "same-origin" });
  }
  return refuseUnlessSameOrigin(request);
}

function refuseOversized(request: Request): Response | undefined {
  if (!announcesTooLarge(request)) return undefined;
  const tooLarge = new RequestTooLargeError();
  return jsonError(tooLarge.status, { message: tooLarge.message, reason: tooLarge.reason });
}

function refuseOverBudget(key: string): Response | undefined {
  const decision = authState().mutations.take(key);
  if (decision.allowed) return undefined;
  return tooManyRequests(`Too many changes in a short time; try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds, "rate-limited");
}

export { signedOutResponse } from "./identity";

let consoleCachesPinned = false;

/**
 * The watch caches behind live validation are process-wide and take `kube()` when first built;
 * build them outside any person's request so they always use the console's own identity.
 */
async function pinConsoleCaches(): Promise<void> {
  if (consoleCachesPinned) return;
  consoleCachesPinned = true;
  try {
    const { meshCaches } = await import("@/server/kube/informers");
    meshCaches();
  } catch {
    // The console's own kubeconfig is broken: sign-in cannot have worked either, and the
    // caches report that failure themselves when used.
  }
}

export async function guardApiRequest(route: string, request: Request, handle: () => Promise<Response>, policy: AccessPolicy = currentPolicy()): Promise<Response> {
  const change = isChange(request);
  if (change) {
    const refused = refuseCrossSite(request) ?? refuseOversized(request);
    if (refused) return refused;
  }
  const sessionRoute = SESSION_ROUTES.has(route);
  if (change && policy.viewOnly && !sessionRoute) {
    return errorResponse(viewOnlyRefusal());
  }
  if (policy.mode === "anonymous" || PUBLIC_ROUTES.has(route)) {
    const refused = change && !sessionRoute ? refuseOverBudget("anonymous") : undefined;
    return refused ?? withinReadLimit(readLimiter(), route, { kind: "anonymous" }, handle);
  }
  const identity = await identify(request, policy.mode);
  if (identity.kind === "refused") return identity.response;
  if (identity.kind === "console") return withinReadLimit(readLimiter(), route, { kind: "anonymous" }, handle);
  if (change) {
    const refused = refuseOverBudget(identity.key);
    if (refused) return withCookies(refused, identity.cookies);
  }
  await pinConsoleCaches();
  const response = await withinReadLimit(readLimiter(), route, { kind: "session", id: identity.key }, () => withKubeClients(identity.clients, handle));
  return withCookies(response, identity.cookies);
}

function currentPolicy(): AccessPolicy {
  const config = getConfig();
  return { mode: config.auth.mode, viewOnly: config.viewOnly };
}
