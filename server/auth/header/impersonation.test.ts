import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeApi, type KubeApi } from "@/demo/kube-api";
import { createKubeClients, KubeError, kubeCall } from "@/server/kube";
import { KubeConfig } from "@kubernetes/client-node";
import { ImpersonatedClients, withImpersonation } from "./impersonation";

const DEMO_MANIFESTS = path.resolve(import.meta.dirname, "..", "..", "..", "demo", "manifests");

describe("withImpersonation", () => {
  it("adds the user and one header line per group, replacing impersonation headers already there", () => {
    const headers = withImpersonation({ Authorization: "Bearer console", "Impersonate-User": "mallory", "impersonate-group": "system:masters" }, { user: "jane", groups: ["a,b", "c"] });
    expect(headers).toEqual({ authorization: "Bearer console", "impersonate-user": "jane", "impersonate-group": ["a,b", "c"] });
  });

  it("reads the flat and the pair forms undici also takes", () => {
    expect(withImpersonation(["accept", "application/json"], { user: "jane", groups: [] })).toEqual({ accept: "application/json", "impersonate-user": "jane" });
    expect(withImpersonation(new Map([["accept", "a"]]), { user: "jane", groups: ["g"] })).toEqual({ accept: "a", "impersonate-user": "jane", "impersonate-group": ["g"] });
  });
});

describe("clients that impersonate, against the emulator", () => {
  let api: KubeApi;
  let dir: string;
  let people: ImpersonatedClients;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-impersonation-"));
    api = await startKubeApi({
      seed: [DEMO_MANIFESTS],
      kubeconfigPath: path.join(dir, "kubeconfig"),
      groups: [{ group: "bookinfo-readers", role: "viewer", namespaces: ["bookinfo"] }],
    });
    const own = new KubeConfig();
    own.loadFromFile(api.kubeconfigPath ?? "");
    const console = createKubeClients(own, 5000);
    people = new ImpersonatedClients(() => console, 2);
  });

  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads as the person: their second group grants bookinfo, and nothing else is granted", async () => {
    const jane = people.for({ user: "jane", groups: ["platform", "bookinfo-readers"] });
    const pods = await kubeCall(jane, "pods", "list pods", () => jane.core.listNamespacedPod({ namespace: "bookinfo" }));
    expect(pods.items.length).toBeGreaterThan(0);
    const refusal = await kubeCall(jane, "pods", "list pods", () => jane.core.listNamespacedPod({ namespace: "mesh-lab" })).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(KubeError);
    expect((refusal as KubeError).failure).toBe("forbidden");
  });

  it("keeps one set of clients per person, whatever the order of their groups", () => {
    const first = people.for({ user: "ann", groups: ["x", "y"] });
    expect(people.for({ user: "ann", groups: ["y", "x"] })).toBe(first);
    people.for({ user: "bob", groups: [] });
    people.for({ user: "cid", groups: [] });
    expect(people.size).toBe(2);
    expect(people.for({ user: "ann", groups: ["x", "y"] })).not.toBe(first);
  });
});
