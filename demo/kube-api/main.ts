/**
 * Kubernetes API server emulator for the mesh-console demo.
 *
 *   npx tsx demo/kube-api/main.ts [--host 127.0.0.1] [--port 20080] [--crds DIR]... [--seed demo/manifests]...
 *                                 [--kubeconfig .demo/kubeconfig] [--tokens tokens.yaml]
 *                                 [--history 1000] [--log-requests]
 *
 * Prints `kube-api listening on http://127.0.0.1:<port>` once listening and seeded (port 0 picks
 * a free port; the line shows the real one). Stops cleanly on SIGINT/SIGTERM.
 *
 * The port speaks plain HTTP and HTTPS. The kubeconfig points at https://127.0.0.1:<port> with a
 * per-process self-signed certificate as its authority, because kubectl (client-go) sends a
 * kubeconfig's bearer token only over TLS. Fetch-based clients may use the http:// URL with an
 * `Authorization: Bearer <token>` header.
 *
 * --crds        YAML file or directory of CustomResourceDefinitions applied before the seed
 *               (repeatable), e.g. the Gateway API release's CRDs: their kinds are then served and
 *               validated per the CRDs, CEL rules included.
 * --seed        YAML file or directory (multi-document, applied in order; repeatable).
 * --kubeconfig  kubeconfig to write (mode 0600): cluster `mesh-console-demo`, contexts `demo-admin`
 *               (current, all verbs) and `demo-viewer` (get/list/watch only), namespace bookinfo.
 * --tokens      YAML/JSON file `users: [{name, token, role: admin|viewer, namespaces?: [..]}]`
 *               (`namespaces` limits a user to those, as RoleBindings would); without it the
 *               admin and viewer tokens are random per start (read them from the kubeconfig).
 * --history     change events kept for watch resumption; older resourceVersions get 410 Gone.
 * --log-requests  print `METHOD URL STATUS` per request to stderr (e.g. to see what kubectl asks).
 *
 * Fault injection (admin token only): POST /emulator/fail-next-write with JSON
 *   {"resource": "virtualservices", "namespace": "bookinfo", "name": "reviews",
 *    "verb": "patch", "status": 409, "skip": 1}
 * makes the matching write after `skip` successful ones fail with that status (a Kubernetes
 * Status body; 409 gives reason Conflict). Each armed fault fires once. `verb`, `namespace`,
 * `name`, `message` and `skip` are optional; `status` defaults to 500.
 *
 * Pod logs (admin token only): POST /emulator/pod-logs with JSON
 *   {"entries": [{"namespace": "bookinfo", "pod": "details-v1-…", "container": "istio-proxy",
 *                 "time": "2025-01-02T03:04:05.678Z", "line": "[2025-…] \"GET /details/0 HTTP/1.1\" 200 …"}]}
 * (at most 10,000 entries, one line each) appends to each container's last 5,000 lines, which
 * GET …/pods/NAME/log serves (container, follow, tailLines, sinceSeconds, sinceTime, timestamps,
 * limitBytes) as kube-apiserver does. Answers {appended, unknown, overCapacity}; lines for pods or
 * containers that do not exist are counted as unknown and dropped. The simulator pushes here.
 *
 * Emulated: discovery, get/list/watch (selectors, limit/continue, bookmarks, 410 on expired
 * resourceVersions), create/update/patch (merge, JSON, strategic for built-ins)/delete,
 * dryRun, optimistic concurrency, Istio CRD schema validation, CustomResourceDefinitions (schemas,
 * defaults, pruning, CEL rules), the Gateway API kinds built in, Deployment → ReplicaSet → Pod
 * generation with sidecar injection, Endpoints. Not emulated: server-side apply, protobuf,
 * admission webhooks, rolling updates, exec, RBAC beyond two roles.
 */
import type { OidcSettings } from "./oidc";
import { parseArgs } from "node:util";
import { startKubeApi } from "./index";

function fail(message: string): never {
  process.stderr.write(`kube-api: ${message}\n`);
  process.exit(2);
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${value}: expected an integer between 0 and 65535`);
  return port;
}

function oidcSettings(values: Record<string, string | boolean | string[] | undefined>): OidcSettings | undefined {
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const issuerUrl = text("oidc-issuer-url");
  const clientId = text("oidc-client-id");
  if (!issuerUrl && !clientId) return undefined;
  if (!issuerUrl || !clientId) fail("--oidc-issuer-url and --oidc-client-id go together");
  return { issuerUrl, clientId, usernameClaim: text("oidc-username-claim"), usernamePrefix: text("oidc-username-prefix"), groupsClaim: text("oidc-groups-claim"), groupsPrefix: text("oidc-groups-prefix") };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string" },
        crds: { type: "string", multiple: true },
        seed: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        tokens: { type: "string" },
        history: { type: "string" },
        "log-requests": { type: "boolean", default: false },
        // kube-apiserver's OpenID Connect flags (oidc.ts).
        "oidc-issuer-url": { type: "string" },
        "oidc-client-id": { type: "string" },
        "oidc-username-claim": { type: "string" },
        "oidc-username-prefix": { type: "string" },
        "oidc-groups-claim": { type: "string" },
        "oidc-groups-prefix": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const history = values.history === undefined ? undefined : Number(values.history);
  if (history !== undefined && (!Number.isInteger(history) || history < 1)) fail(`--history ${values.history}: expected a positive integer`);

  const api = await startKubeApi({
    host: values.host,
    port: portOf(values.port),
    crds: values.crds ?? [],
    seed: values.seed ?? [],
    kubeconfigPath: values.kubeconfig,
    tokensFile: values.tokens,
    oidc: oidcSettings(values),
    historyLimit: history,
    onRequest: values["log-requests"] ? (method, url, status) => process.stderr.write(`${method} ${url} ${status}\n`) : undefined,
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

  process.stdout.write(`kube-api listening on ${api.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
