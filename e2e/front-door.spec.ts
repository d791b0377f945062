/**
 * The console's front door, attacked as an outsider would (each test names the attack): requests
 * addressed to a name the console is not served as (DNS rebinding), changes from another origin,
 * forged socket facts, and sign-in throttling that one client could otherwise use to lock everyone
 * out. The browser tests resolve made-up names to 127.0.0.1 inside Chromium, which is exactly what a
 * rebound DNS name does.
 */
import http from "node:http";
import { chromium, type Browser } from "@playwright/test";
import { demoEndpoints } from "./demoEndpoints";
import { consoleWith, demoToken } from "./extraConsoles";
import { expect, test } from "./fixtures";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so the Host header and the source address are ours to choose. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? "GET", headers: options.headers, localAddress: options.localAddress },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

async function browserResolving(names: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      `--host-resolver-rules=${names.map((name) => `MAP ${name} 127.0.0.1`).join(",")}`,
      // Recent Chromium blocks a public page's requests to loopback on its own (Local Network Access);
      // other browsers and older ones do not, so the console must hold without that help.
      "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults",
    ],
  });
}

const CATALOG = "/api/istio-config/mesh-lab/VirtualService/catalog";

test.describe("DNS rebinding", () => {
  test("a page on a name rebound to 127.0.0.1 gets a refusal naming MESH_CONSOLE_ALLOWED_HOSTS, and its script cannot read the API or change the mesh", async () => {
    const port = new URL(demoEndpoints().console).port;
    const origin = `http://rebound.attacker.test:${port}`;
    const browser = await browserResolving(["rebound.attacker.test"]);
    try {
      const page = await browser.newPage();
      const response = await page.goto(`${origin}/graph?namespaces=bookinfo`);
      expect(response?.status()).toBe(403);
      await expect(page.locator("body")).toContainText("MESH_CONSOLE_ALLOWED_HOSTS");

      // The attack itself: the attacker's page was served from the attacker's own address before the
      // name was rebound, so it carries none of the console's headers; its script then calls "its own" origin.
      await page.route(`${origin}/attack.html`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>attacker</title>" }));
      await page.goto(`${origin}/attack.html`);
      const attempts = await page.evaluate(async (catalog) => {
        const read = await fetch("/api/namespaces");
        const write = await fetch(catalog, { method: "PUT", headers: { "x-mesh-console": "1", "content-type": "application/json" }, body: JSON.stringify({ yaml: "{}", resourceVersion: "1" }) });
        return { read: read.status, readBody: await read.text(), write: write.status };
      }, CATALOG);
      expect(attempts).toMatchObject({ read: 403, write: 403 });
      expect(attempts.readBody).not.toContain("bookinfo");
      expect(JSON.parse(attempts.readBody).error.reason).toBe("host");
    } finally {
      await browser.close();
    }
  });

  test("the same console answers the loopback names on any port, and refuses a bare rebound Host on the raw socket too", async () => {
    const { console: consoleUrl } = demoEndpoints();
    const port = new URL(consoleUrl).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "localhost:43121"]) {
      expect((await send(`${consoleUrl}/api/health`, { headers: { host } })).status, host).toBe(200);
    }
    const refused = await send(`${consoleUrl}/api/namespaces`, { headers: { host: `rebound.attacker.test:${port}` } });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toMatchObject({ reason: "host" });
  });

  test("a console behind a proxy answers the names listed in MESH_CONSOLE_ALLOWED_HOSTS, in the browser", async () => {
    const listed = await consoleWith({ MESH_CONSOLE_ALLOWED_HOSTS: "mesh.console.test" });
    const browser = await browserResolving(["mesh.console.test", "other.console.test"]);
    try {
      const page = await browser.newPage();
      await page.goto(`http://mesh.console.test:${listed.port}/services?namespaces=bookinfo`);
      await expect(page.getByRole("heading", { name: "Services" })).toBeVisible();
      // The page's own API calls go to the listed name as well, and are answered.
      await expect(page.getByText("productpage").first()).toBeVisible();
      expect((await page.goto(`http://other.console.test:${listed.port}/`))?.status()).toBe(403);
    } finally {
      await browser.close();
      await listed.stop();
    }
  });
});

test.describe("changes from another origin", () => {
  test("a change carrying the console's header but another page's Origin is refused and nothing is written", async () => {
    const { console: consoleUrl } = demoEndpoints();
    const before = JSON.parse((await send(`${consoleUrl}${CATALOG}`)).body) as { object: { metadata: { resourceVersion: string }; spec: unknown } };
    const yaml = JSON.stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "catalog", namespace: "mesh-lab" }, spec: before.object.spec });
    const refused = await send(`${consoleUrl}${CATALOG}`, {
      method: "PUT",
      headers: { "x-mesh-console": "1", "content-type": "application/json", origin: "http://attacker.test" },
      body: JSON.stringify({ yaml, resourceVersion: before.object.metadata.resourceVersion }),
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.reason).toBe("origin");
    const after = JSON.parse((await send(`${consoleUrl}${CATALOG}`)).body) as { object: { metadata: { resourceVersion: string } } };
    expect(after.object.metadata.resourceVersion).toBe(before.object.metadata.resourceVersion);
  });
});

test.describe("the address checked is the address bound", () => {
  test("a client cannot claim to have arrived on loopback, or come from elsewhere, by sending the console's own socket headers", async () => {
    const { console: consoleUrl } = demoEndpoints();
    // The demo console is anonymous on 127.0.0.1: if the forged local address were believed, it would refuse.
    const forged = await send(`${consoleUrl}/api/namespaces`, { headers: { "x-mesh-console-local-address": "10.9.9.9", "x-mesh-console-peer-address": "10.9.9.9" } });
    expect(forged.status).toBe(200);
  });
});

test.describe("sign-in throttling", () => {
  test("one client guessing tokens is stopped, whatever X-Forwarded-For it sends, while another client still signs in", async () => {
    const tokenConsole = await consoleWith({ MESH_CONSOLE_AUTH: "token", MESH_CONSOLE_TRUSTED_PROXIES: "127.0.0.3" });
    const signIn = (token: string, from: string, forwardedFor?: string) =>
      send(`${tokenConsole.url}/api/auth/login`, {
        method: "POST",
        localAddress: from,
        headers: { "x-mesh-console": "1", "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
        body: JSON.stringify({ token }),
      });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 12; attempt += 1) statuses.push((await signIn(`guess-${attempt}-xxxxxxxx`, "127.0.0.1", `198.51.100.${attempt}`)).status);
      expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
      const throttled = await signIn("guess-more-xxxxxxxx", "127.0.0.1", "198.51.100.200");
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
      expect(JSON.parse(throttled.body).error.message).toContain("from your address");

      // Another client is not locked out by the first one's guessing.
      expect((await signIn(demoToken("demo-viewer"), "127.0.0.2")).status).toBe(200);
      // Behind a trusted proxy, the client is the address the proxy reports, not the proxy itself.
      expect((await signIn(demoToken("demo-viewer"), "127.0.0.3", "203.0.113.7")).status).toBe(200);
    } finally {
      await tokenConsole.stop();
    }
  });
});
