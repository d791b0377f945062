/**
 * A mesh whose people sign in through an identity provider: a real OpenID provider on loopback
 * (e2e/oidcProvider.ts) with the tests' people, a Kubernetes API emulator of its own that verifies
 * that provider's ID tokens as kube-apiserver's --oidc-* flags do and grants namespaces by group,
 * and consoles in openid mode sharing one session key directory, with the demo's Prometheus.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { startKubeApi, type KubeApi } from "../demo/kube-api";
import { consoleProcess } from "../demo/orchestrate/demo";
import type { Restartable } from "../demo/orchestrate/faultDemo";
import { freePort } from "../demo/orchestrate/ports";
import { waitForHttp } from "../demo/orchestrate/processes";
import { demoEndpoints } from "./demoEndpoints";
import { startTestProvider, type TestPerson, type TestProvider } from "./oidcProvider";

/** bookinfo's team, mesh-lab's team, and someone whose group no RoleBinding names. */
export const PEOPLE = {
  alice: { login: "alice", password: "alice-password", email: "alice@example.com", groups: ["bookinfo-team"] },
  bob: { login: "bob", password: "bob-password", email: "bob@example.com", groups: ["mesh-lab-team"] },
  carol: { login: "carol", password: "carol-password", email: "carol@example.com", groups: ["visitors"] },
} satisfies Record<string, TestPerson>;

/** A console replica that a test may stop and start again on the same port. */
export type ConsoleReplica = Restartable;

export interface OpenIdWorld {
  provider: TestProvider;
  api: KubeApi;
  consoles: ConsoleReplica[];
  /** Settings every console of this world gets. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface OpenIdWorldOptions {
  replicas?: number;
  /** Extra settings per console (e.g. a wrong client secret). */
  consoleEnv?: Record<string, string>;
  /** The provider's ID token lifetime in seconds. */
  idTokenTtlSeconds?: number;
}

/** A console on `port` that can be stopped and started again with the same settings. */
function replica(port: number, env: Record<string, string>): ConsoleReplica {
  let child: ReturnType<typeof consoleProcess> | undefined;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    async start() {
      child = consoleProcess({ port, mode: "start", env: { ...env, MESH_CONSOLE_PORT: String(port) }, log: "quiet" });
      await waitForHttp(`${url}/api/health`, child, 60_000);
    },
    async stop() {
      await child?.stop();
      child = undefined;
    },
  };
}

export async function startOpenIdWorld(options: OpenIdWorldOptions = {}): Promise<OpenIdWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-openid-e2e-"));
  const ports = await Promise.all(Array.from({ length: options.replicas ?? 1 }, () => freePort()));
  // Behind the round-robin proxy the browser's origin is the proxy's, so both kinds of address are allowed back.
  const proxyPort = await freePort();
  const origins = [...ports, proxyPort].map((port) => `http://127.0.0.1:${port}`);
  const provider = await startTestProvider({
    people: Object.values(PEOPLE),
    redirectUris: origins.map((origin) => `${origin}/api/auth/openid/callback`),
    postLogoutRedirectUris: origins.map((origin) => `${origin}/login`),
    idTokenTtlSeconds: options.idTokenTtlSeconds,
  });
  const api = await startKubeApi({
    seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests")],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    oidc: { issuerUrl: provider.issuer, clientId: provider.clientId, usernameClaim: "email", groupsClaim: "groups", groupsPrefix: "oidc:" },
    groups: [
      { group: "oidc:bookinfo-team", role: "viewer", namespaces: ["bookinfo"] },
      { group: "oidc:mesh-lab-team", role: "viewer", namespaces: ["mesh-lab"] },
    ],
  });
  const keys = path.join(dir, "session-keys");
  await mkdir(keys);
  await writeFile(path.join(keys, "key-1"), randomBytes(48).toString("base64"));
  const secretFile = path.join(dir, "client-secret");
  await writeFile(secretFile, provider.clientSecret);
  const env = {
    KUBECONFIG: api.kubeconfigPath ?? "",
    PROMETHEUS_URL: demoEndpoints().prometheus,
    MESH_CONSOLE_AUTH: "openid",
    MESH_CONSOLE_OIDC_ISSUER_URL: provider.issuer,
    MESH_CONSOLE_OIDC_CLIENT_ID: provider.clientId,
    MESH_CONSOLE_OIDC_CLIENT_SECRET_FILE: secretFile,
    MESH_CONSOLE_OIDC_SCOPES: "openid email profile groups offline_access",
    MESH_CONSOLE_OIDC_USERNAME_CLAIM: "email",
    MESH_CONSOLE_SESSION_KEYS_DIR: keys,
    ...options.consoleEnv,
  };
  const consoles = ports.map((port) => replica(port, env));
  await Promise.all(consoles.map((console) => console.start()));
  return {
    provider,
    api,
    consoles,
    env: { ...env, PROXY_PORT: String(proxyPort) },
    async stop() {
      for (const console of consoles) await console.stop();
      await provider.stop();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in at the provider's own page, as a person would: the console's link, the form, consent. */
export async function signInThroughProvider(page: Page, consoleUrl: string, person: TestPerson, next = "/"): Promise<void> {
  await page.goto(`${consoleUrl}${next}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByRole("link", { name: "Sign in with your identity provider" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the test identity provider" })).toBeVisible();
  await page.getByLabel("Username").fill(person.login);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Allow access" })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
}
