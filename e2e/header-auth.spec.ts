/**
 * Sign-in behind an authenticating proxy (MESH_CONSOLE_AUTH=header): a small proxy started here
 * signs people in with HTTP basic authentication, as oauth2-proxy would with a provider, and passes
 * who they are in X-Forwarded-User and X-Forwarded-Groups. The console believes those headers only
 * from the proxy's address (127.0.0.2; the proxy connects from it) and calls Kubernetes impersonating
 * the person, so the emulator's grants for their group decide what they see. A request that comes
 * straight to the console with the same headers is refused.
 */
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startKubeApi, type KubeApi } from "../demo/kube-api";
import { freePort } from "../demo/orchestrate/ports";
import { consoleWith, type ExtraConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

const PROXY_ADDRESS = "127.0.0.2";
/** The proxy's people: each signs in with a password and belongs to groups. */
const PEOPLE: Record<string, { password: string; groups: string[] }> = {
  jane: { password: "jane-proxy-password", groups: ["bookinfo-readers"] },
  pat: { password: "pat-proxy-password", groups: ["mesh-viewers"] },
};

let api: KubeApi;
let consoleServer: ExtraConsole;
let proxy: http.Server;
let proxyUrl: string;
let dir: string;

/** Basic authentication's user, when the password is right. */
function signedInPerson(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  const [user = "", password] = Buffer.from(match[1], "base64").toString("utf8").split(":");
  return PEOPLE[user]?.password === password ? user : undefined;
}

function startProxy(consolePort: number, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const person = signedInPerson(req.headers.authorization);
    if (!person) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="mesh-console e2e proxy"' }).end("sign in\n");
      return;
    }
    // What the client sent under the identity headers is dropped: only the proxy says who is calling.
    const { authorization: _authorization, "x-forwarded-user": _user, "x-forwarded-groups": _groups, ...headers } = req.headers;
    const upstream = http.request(
      { host: "127.0.0.1", port: consolePort, localAddress: PROXY_ADDRESS, method: req.method, path: req.url, headers: { ...headers, "x-forwarded-user": person, "x-forwarded-groups": PEOPLE[person]?.groups.join(",") ?? "" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end("console unreachable\n"));
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-header-e2e-"));
  api = await startKubeApi({
    seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests")],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    groups: [
      { group: "bookinfo-readers", role: "viewer", namespaces: ["bookinfo"] },
      { group: "mesh-viewers", role: "viewer" },
    ],
  });
  consoleServer = await consoleWith({ KUBECONFIG: api.kubeconfigPath ?? "", MESH_CONSOLE_AUTH: "header", MESH_CONSOLE_AUTH_PROXIES: `${PROXY_ADDRESS}/32` });
  const port = await freePort();
  proxy = await startProxy(consoleServer.port, port);
  proxyUrl = `http://127.0.0.1:${port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await consoleServer?.stop();
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test.describe("behind an authenticating proxy", () => {
  test("a person sees only the namespaces their group may read", async ({ browser }) => {
    const context = await browser.newContext({ httpCredentials: { username: "jane", password: PEOPLE.jane?.password ?? "" } });
    const page = await context.newPage();
    await page.goto(`${proxyUrl}/`);
    await expect(page.getByTestId("namespace-card-bookinfo")).toBeVisible();
    await expect(page.getByRole("region", { name: "Namespaces" }).getByRole("article")).toHaveCount(1);
    await expect(page.getByTestId("namespace-card-mesh-lab")).toHaveCount(0);
    // Behind the proxy there is no sign-out of the console's own: the proxy holds the sign-in.
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

    const meshLab = await page.request.get(`${proxyUrl}/api/services?namespaces=mesh-lab`);
    expect(meshLab.status()).toBe(403);
    expect(((await meshLab.json()) as { error: { message: string } }).error.message).toMatch(/^Your account may not read namespace mesh-lab/);
    await context.close();
  });

  test("another group's grant shows every namespace", async ({ browser }) => {
    const context = await browser.newContext({ httpCredentials: { username: "pat", password: PEOPLE.pat?.password ?? "" } });
    const page = await context.newPage();
    await page.goto(`${proxyUrl}/`);
    await expect(page.getByTestId("namespace-card-bookinfo")).toBeVisible();
    await expect(page.getByTestId("namespace-card-mesh-lab")).toBeVisible();
    await context.close();
  });

  test("the same headers sent straight to the console, not through the proxy, are refused", async ({ page }) => {
    await page.setExtraHTTPHeaders({ "X-Forwarded-User": "pat", "X-Forwarded-Groups": "mesh-viewers", "X-Forwarded-For": PROXY_ADDRESS });
    const response = await page.goto(`${consoleServer.url}/`);
    expect(response?.status()).toBe(403);
    await expect(page.getByText(/takes who you are only from its authenticating proxy.*not one of MESH_CONSOLE_AUTH_PROXIES/)).toBeVisible();

    const data = await page.request.get(`${consoleServer.url}/api/services`);
    expect(data.status()).toBe(403);
    expect(((await data.json()) as { error: { reason: string } }).error.reason).toBe("not-from-proxy");
    // Probes stay open to the kubelet, which never goes through the proxy.
    expect((await page.request.get(`${consoleServer.url}/api/health`)).status()).toBe(200);
  });
});
