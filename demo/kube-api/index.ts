/**
 * A Kubernetes API server emulator for the demo and tests: the REST protocol for the kinds the
 * console uses (core, apps, Istio networking and security, the Gateway API, and whatever
 * CustomResourceDefinitions define), held in memory. Start it in-process
 * with `startKubeApi`, or as a process with main.ts.
 */
import { Authenticator, defaultUsers, readTokensFile, type User } from "./auth";
import { createCluster } from "./cluster";
import { FaultInjector, type WriteFault } from "./fault";
import { grantsResolver, type GroupGrant } from "./impersonation";
import { OidcVerifier, type OidcSettings } from "./oidc";
import { writeKubeconfig } from "./kubeconfig";
import { applySeed, crdDocuments, readSeedDocuments } from "./seed";
import { listenDual } from "./listener";
import { appendPodLogs, dropLogsOfDeletedPods, type AppendResult, type PodLogPush } from "./pod-log-endpoint";
import { PodLogStore } from "./pod-logs";
import { createPortForwardListener } from "./portforward";
import { createRequestListener } from "./server";
import { servingCertificate } from "./tls";
import { WatchRegistry } from "./watch-stream";

export type { WriteFault } from "./fault";
export type { User } from "./auth";
export type { GroupGrant } from "./impersonation";
export { ADMIN_CONTEXT, VIEWER_CONTEXT, DEFAULT_NAMESPACE } from "./kubeconfig";
export { FORWARD_TO_ANNOTATION } from "./portforward";
export type { AppendResult as PodLogAppendResult, PodLogPush } from "./pod-log-endpoint";

export interface KubeApiOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /**
   * YAML files or directories of CustomResourceDefinitions (e.g. the Gateway API release's CRDs)
   * applied at start before `seed`; every document must be a CRD.
   */
  crds?: readonly string[];
  /** YAML files or directories applied at start, in order. */
  seed?: readonly string[];
  /** Where to write a kubeconfig for the started server. */
  kubeconfigPath?: string;
  /** Fixed tokens; random ones per start otherwise. */
  tokens?: { admin?: string; viewer?: string };
  /** A tokens file (see auth.ts); overrides `tokens`. */
  tokensFile?: string;
  /** The users themselves, as a tokens file would list them; overrides `tokensFile` and `tokens`. */
  users?: readonly User[];
  /** Grants of groups, for people the console impersonates (impersonation.ts) or who bring an OIDC token; none by default. */
  groups?: readonly GroupGrant[];
  /** Accept OIDC ID tokens of this issuer, as kube-apiserver's --oidc-* flags do (oidc.ts). */
  oidc?: OidcSettings;
  /** How many past change events a watch can resume from; default 1000. */
  historyLimit?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK; default 60 s. */
  bookmarkIntervalMs?: number;
  /** Called after each request completes. */
  onRequest?: (method: string, url: string, status: number) => void;
}

export interface KubeApi {
  /** Plain-HTTP address (same port), for clients that send the bearer token themselves. */
  url: string;
  /** HTTPS address, as written to the kubeconfig. */
  httpsUrl: string;
  /** PEM certificate the HTTPS side serves; trust it as the certificate authority. */
  caCertificate: string;
  port: number;
  kubeconfigPath?: string;
  tokens: { admin: string; viewer: string };
  /** Makes the next matching write fail with the given status (see fault.ts). */
  failNextWrite(fault: WriteFault): void;
  /**
   * Appends container log lines as POST /emulator/pod-logs does (lines for pods or containers
   * that do not exist are dropped and counted); `follow` readers get them at once.
   */
  appendPodLog(entries: PodLogPush["entries"]): AppendResult;
  /** Number of objects of a plural resource (all namespaces), for tests and benchmarks. */
  count(plural: string): number;
  /** Ends open watches and stops listening. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`host ${host}: the emulator only listens on loopback (127.0.0.1, ::1 or localhost)`);
  const users: readonly User[] = options.users ?? (options.tokensFile ? await readTokensFile(options.tokensFile) : defaultUsers(options.tokens));
  const resolve = grantsResolver(users, options.groups ?? []);
  const auth = new Authenticator(users, options.oidc ? { verifier: new OidcVerifier(options.oidc), resolve } : undefined);
  const admin = auth.userWithRole("admin");
  const viewer = auth.userWithRole("viewer");
  if (!admin || !viewer) throw new Error("tokens: at least one user with role admin and one with role viewer are needed");

  const registry = createCluster({ historyLimit: options.historyLimit });
  const store = registry.store;
  if (options.crds && options.crds.length > 0) applySeed(registry, crdDocuments(await readSeedDocuments(options.crds)));
  if (options.seed && options.seed.length > 0) applySeed(registry, await readSeedDocuments(options.seed));

  const faults = new FaultInjector();
  const watches = new WatchRegistry();
  const podLogs = new PodLogStore();
  const stopDroppingLogs = dropLogsOfDeletedPods({ registry, podLogs });
  const listener = createRequestListener({
    registry,
    watches,
    watchSettings: { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000 },
    auth,
    faults,
    podLogs,
    impersonate: resolve,
    onRequest: options.onRequest,
  });
  const certificate = await servingCertificate();
  const server = await listenDual(listener, certificate, host, options.port ?? 0, createPortForwardListener({ auth, registry }));
  const port = server.port;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const url = `http://${hostInUrl}:${port}`;
  const httpsUrl = `https://${hostInUrl}:${port}`;
  const tokens = { admin: admin.token, viewer: viewer.token };
  if (options.kubeconfigPath) await writeKubeconfig(options.kubeconfigPath, httpsUrl, certificate.cert, tokens);

  return {
    url,
    httpsUrl,
    caCertificate: certificate.cert,
    port,
    kubeconfigPath: options.kubeconfigPath,
    tokens,
    failNextWrite: (fault) => faults.failNextWrite(fault),
    appendPodLog: (entries) => appendPodLogs({ registry, podLogs }, entries),
    count: (plural) => {
      const type = registry.catalog.all().find((t) => t.plural === plural);
      return type ? store.count(type) : 0;
    },
    close: async () => {
      watches.closeAll();
      stopDroppingLogs();
      await server.close();
    },
  };
}
