/**
 * Signed-out sessions, recorded in Kubernetes so that every replica refuses them: a sealed cookie
 * stays valid until it expires, so a copy kept from before sign-out would otherwise still work on
 * any replica. The record is one ConfigMap (`mesh-console-sessions` in MESH_CONSOLE_SESSION_NAMESPACE)
 * whose `revoked` entry maps session ids to when those sessions would have ended anyway; entries
 * past that time are dropped at the next write. It is written with the resourceVersion it was read
 * at (409 → read again and retry), so two replicas signing people out at once lose neither.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 *
 * Every signed-in request reads the record (one small GET; requests that arrive while a read is in
 * flight share it), so a sign-out answered by one replica is refused by all from the next request
 * on: no cache window. Session ids are random and not secret; no token is ever written here.
 */
import { z } from "zod";
import { consoleKube, KubeError, kubeCall, type KubeClients } from "@/server/kube";

export const REVOCATION_CONFIGMAP = "mesh-console-sessions";
/** Bounds the ConfigMap (1 MiB at most in Kubernetes): about 80 bytes an entry. */
export const MAX_REVOCATIONS = 5_000;

const revokedSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]{43}$/), z.number().int().nonnegative());

/** Sign-outs racing on other replicas each cost one retry; this many covers a burst of them. */
const MAX_WRITE_ATTEMPTS = 12;

export type RevokedSessions = Readonly<Record<string, number>>;

/** The `revoked` entry as stored; a damaged one counts as empty rather than stopping every request. */
export function parseRevoked(text: string | undefined): RevokedSessions {
  if (!text) return {};
  try {
    const parsed = revokedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Adds one session and drops those already ended; past MAX_REVOCATIONS, those ending soonest go first. */
export function withRevocation(revoked: RevokedSessions, sid: string, endsAt: number, now: number): Record<string, number> {
  const kept = Object.entries({ ...revoked, [sid]: endsAt }).filter(([, until]) => until > now);
  kept.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(kept.slice(0, MAX_REVOCATIONS));
}

export function isRevoked(revoked: RevokedSessions, sid: string): boolean {
  return Object.hasOwn(revoked, sid);
}

interface Record_ {
  revoked: RevokedSessions;
  resourceVersion?: string;
}

export class RevocationStore {
  private inFlight: Promise<Record_> | undefined;

  constructor(
    private readonly namespace: string,
    private readonly clients: () => KubeClients = consoleKube,
    private readonly now: () => number = Date.now,
  ) {}

  private async read(): Promise<Record_> {
    const clients = this.clients();
    try {
      const map = await kubeCall(clients, "sessions", `read the ConfigMap ${this.namespace}/${REVOCATION_CONFIGMAP} of signed-out sessions`, () => clients.core.readNamespacedConfigMap({ name: REVOCATION_CONFIGMAP, namespace: this.namespace }));
      return { revoked: parseRevoked(map.data?.revoked), resourceVersion: map.metadata?.resourceVersion };
    } catch (error) {
      if (error instanceof KubeError && error.failure === "not-found") return { revoked: {} };
      throw error;
    }
  }

  /** The current record; concurrent callers share one read. */
  current(): Promise<RevokedSessions> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight.then((record) => record.revoked);
  }

  async revoked(sid: string): Promise<boolean> {
    return isRevoked(await this.current(), sid);
  }

  /** Records a sign-out; retries on a concurrent write (409), with jitter. */
  async revoke(sid: string, endsAt: number): Promise<void> {
    const clients = this.clients();
    for (let attempt = 0; ; attempt++) {
      const record = await this.read();
      const data = { revoked: JSON.stringify(withRevocation(record.revoked, sid, endsAt, this.now())) };
      const metadata = { name: REVOCATION_CONFIGMAP, namespace: this.namespace, labels: { "app.kubernetes.io/managed-by": "mesh-console" } };
      try {
        if (record.resourceVersion === undefined) {
          await kubeCall(clients, "sessions", `create the ConfigMap ${this.namespace}/${REVOCATION_CONFIGMAP} of signed-out sessions`, () => clients.core.createNamespacedConfigMap({ namespace: this.namespace, body: { metadata, data } }));
        } else {
          await kubeCall(clients, "sessions", `record a sign-out in the ConfigMap ${this.namespace}/${REVOCATION_CONFIGMAP}`, () =>
            clients.core.replaceNamespacedConfigMap({ name: REVOCATION_CONFIGMAP, namespace: this.namespace, body: { metadata: { ...metadata, resourceVersion: record.resourceVersion }, data } }),
          );
        }
        return;
      } catch (error) {
        const raced = error instanceof KubeError && (error.failure === "conflict" || error.failure === "already-exists");
        if (!raced || attempt >= MAX_WRITE_ATTEMPTS - 1) throw error;
        // Writers that collided wait different, growing times, so they do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, (attempt + 1) * (10 + Math.random() * 40)));
      }
    }
  }
}
