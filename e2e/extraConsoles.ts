/**
 * Consoles started from the same build next to the demo's, with settings of their own (another
 * identity, token sign-in, view-only, allowed host names), and the demo's own tokens to sign in with.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { parse as parseYaml } from "yaml";
import { startKubeApi, type KubeApi } from "../demo/kube-api";
import { consoleProcess } from "../demo/orchestrate/demo";
import { freePort } from "../demo/orchestrate/ports";
import { waitForHttp } from "../demo/orchestrate/processes";
import { demoEndpoints } from "./demoEndpoints";

export interface ExtraConsole {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A console on the demo's Kubernetes API and Prometheus, unless `env` says otherwise. */
export async function consoleWith(env: Record<string, string>): Promise<ExtraConsole> {
  const { kubeconfig, prometheus } = demoEndpoints();
  const port = await freePort();
  const child = consoleProcess({ port, mode: "start", env: { KUBECONFIG: kubeconfig, PROMETHEUS_URL: prometheus, MESH_CONSOLE_PORT: String(port), ...env }, log: "quiet" });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/health`, child, 60_000);
  return { url, port, stop: () => child.stop() };
}

/** A bearer token of one of the demo kubeconfig's users. */
export function demoToken(role: "demo-admin" | "demo-viewer"): string {
  const config = parseYaml(readFileSync(demoEndpoints().kubeconfig, "utf8")) as { users: { name: string; user: { token: string } }[] };
  const token = config.users.find((user) => user.name === role)?.user.token;
  if (!token) throw new Error(`the demo kubeconfig has no ${role} user`);
  return token;
}

/** The people of a cluster with one team: an admin, a viewer, and a viewer of bookinfo alone (as RoleBindings make one). */
export const TEAM_TOKENS = { admin: "e2e-team-admin-token", viewer: "e2e-team-viewer-token", bookinfo: "e2e-bookinfo-team-token" } as const;

export interface TeamConsole extends ExtraConsole {
  api: KubeApi;
}

/**
 * A token sign-in console on a Kubernetes API emulator of its own, seeded like the demo's (plus
 * `extraSeed` manifests) and knowing TEAM_TOKENS' people, with the demo's Prometheus.
 */
export async function teamConsole(extraSeed: readonly string[] = []): Promise<TeamConsole> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-team-e2e-"));
  const api = await startKubeApi({
    seed: [path.resolve(import.meta.dirname, "..", "demo", "manifests"), ...extraSeed],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    users: [
      { name: "admin", token: TEAM_TOKENS.admin, role: "admin" },
      { name: "viewer", token: TEAM_TOKENS.viewer, role: "viewer" },
      { name: "bookinfo-team", token: TEAM_TOKENS.bookinfo, role: "viewer", namespaces: ["bookinfo"] },
    ],
  });
  const tokenConsole = await consoleWith({ KUBECONFIG: api.kubeconfigPath ?? "", MESH_CONSOLE_AUTH: "token" });
  return {
    ...tokenConsole,
    api,
    stop: async () => {
      await tokenConsole.stop();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login page the console sends a signed-out visitor of `next` to. */
export async function signInAt(page: Page, consoleUrl: string, token: string, next: string): Promise<void> {
  await page.goto(`${consoleUrl}${next}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
