/**
 * Kubernetes clients that act for a person under the console's own identity: every request carries
 * the console's credentials plus `Impersonate-User` and one `Impersonate-Group` header per group,
 * so kube-apiserver first checks that the console may impersonate them, then authorizes the
 * request as that person, and RBAC decides per person exactly as with their own token.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 *
 * Groups must travel as separate header lines: kube-apiserver reads every `Impersonate-Group` value
 * and does not split one value at commas, while fetch's Headers join repeated names into one
 * comma-separated value. client-node builds its requests with fetch, so the headers are written
 * below fetch, in the undici dispatcher that sends the request, where a header may hold a list.
 */
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeClients, KubeError, type KubeClients } from "@/server/kube";
import type { ProxiedIdentity } from "./headerIdentity";

type RequestContext = Parameters<KubeConfig["applySecurityAuthentication"]>[0];
type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;
type DispatchOptions = Parameters<Parameters<Dispatcher["dispatch"]>[0] extends infer O ? (options: O) => void : never>[0];
type HeaderEntries = Record<string, string | string[] | number | undefined>;

const IMPERSONATION_PREFIX = "impersonate-";

/**
 * The request's headers with the impersonation headers of `identity`, replacing any the request
 * already had (client-node's own `as:` support sets only the user). Pure, for the test.
 */
export function withImpersonation(headers: unknown, identity: ProxiedIdentity): HeaderEntries {
  const entries: HeaderEntries = {};
  const add = (name: string, value: string | string[] | number | undefined) => {
    if (value === undefined || name.toLowerCase().startsWith(IMPERSONATION_PREFIX)) return;
    const key = name.toLowerCase();
    const existing = entries[key];
    entries[key] = existing === undefined ? value : [...[existing].flat().map(String), ...[value].flat().map(String)];
  };
  if (Array.isArray(headers) && headers.every((item) => typeof item === "string")) {
    for (let index = 0; index + 1 < headers.length; index += 2) add(headers[index] as string, headers[index + 1] as string);
  } else if (headers && typeof headers === "object" && Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<[string, string | string[] | undefined]>) add(name, value);
  } else if (headers && typeof headers === "object") {
    for (const [name, value] of Object.entries(headers as HeaderEntries)) add(name, value);
  }
  entries["impersonate-user"] = identity.user;
  if (identity.groups.length > 0) entries["impersonate-group"] = [...identity.groups];
  return entries;
}

class ImpersonatingKubeConfig extends KubeConfig {
  constructor(private readonly identity: ProxiedIdentity) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher();
    // Without a dispatcher of its own the request would leave without the groups: refuse rather
    // than call Kubernetes as a person with fewer groups than they have.
    if (!dispatcher) throw new KubeError("other", "The console's kubeconfig gives no connection settings to impersonate with", 500);
    const identity = this.identity;
    context.setDispatcher(
      dispatcher.compose((dispatch) => (options: DispatchOptions, handler) => dispatch({ ...options, headers: withImpersonation(options.headers, identity) }, handler)),
    );
  }
}

/** The console's own cluster and credentials, acting for `identity`. */
export function kubeConfigImpersonating(base: KubeConfig, identity: ProxiedIdentity): KubeConfig {
  const kubeConfig = new ImpersonatingKubeConfig(identity);
  kubeConfig.loadFromOptions({ clusters: base.getClusters(), users: base.getUsers(), contexts: base.getContexts(), currentContext: base.getCurrentContext() });
  return kubeConfig;
}

/** The key two requests of the same person share: the user and the set of groups. */
export function identityKey(identity: ProxiedIdentity): string {
  return JSON.stringify([identity.user, [...identity.groups].sort()]);
}

/** At most this many people's clients are kept; the least recently used go first. */
export const MAX_IMPERSONATED_CLIENTS = 1000;

/**
 * One set of clients per person, reused between requests so connections and the per-client caches
 * (namespace access, shared answers) are shared, as a token session's are.
 */
export class ImpersonatedClients {
  private readonly byIdentity = new Map<string, KubeClients>();

  constructor(
    private readonly console: () => KubeClients,
    private readonly max = MAX_IMPERSONATED_CLIENTS,
  ) {}

  for(identity: ProxiedIdentity): KubeClients {
    const key = identityKey(identity);
    const existing = this.byIdentity.get(key);
    if (existing) {
      this.byIdentity.delete(key);
      this.byIdentity.set(key, existing);
      return existing;
    }
    const base = this.console();
    const clients = createKubeClients(kubeConfigImpersonating(base.kubeConfig, identity), base.timeoutMs);
    this.byIdentity.set(key, clients);
    while (this.byIdentity.size > this.max) {
      const oldest = this.byIdentity.keys().next();
      if (oldest.done) break;
      this.byIdentity.delete(oldest.value);
    }
    return clients;
  }

  get size(): number {
    return this.byIdentity.size;
  }
}
