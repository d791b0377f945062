import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadYamlPaths } from "./yaml-input";

const virtualService = (name: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${name}, namespace: shop}\nspec: {hosts: [${name}]}\n`;

describe("loadYamlPaths", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-yaml-input-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("walks a folder whose link points back to an ancestor once, instead of forever", async () => {
    await mkdir(path.join(dir, "routes", "nested"), { recursive: true });
    await writeFile(path.join(dir, "routes", "cart.yaml"), virtualService("cart"));
    await writeFile(path.join(dir, "routes", "nested", "pay.yaml"), virtualService("pay"));
    await symlink(path.join(dir, "routes"), path.join(dir, "routes", "nested", "back-to-top"));

    const loaded = await loadYamlPaths([path.join(dir, "routes")]);

    expect(loaded.errors).toEqual([]);
    expect(loaded.objects.map((object) => (object as { metadata: { name: string } }).metadata.name)).toEqual(["cart", "pay"]);
  });

  it("reads a file reached through two links once, so it is not reported as its own duplicate", async () => {
    await writeFile(path.join(dir, "cart.yaml"), virtualService("cart"));
    await symlink(path.join(dir, "cart.yaml"), path.join(dir, "cart-link.yaml"));

    const loaded = await loadYamlPaths([dir]);

    expect(loaded.objects).toHaveLength(1);
  });

  it("reports a loop of links by name instead of failing", async () => {
    await symlink(path.join(dir, "b.yaml"), path.join(dir, "a.yaml"));
    await symlink(path.join(dir, "a.yaml"), path.join(dir, "b.yaml"));

    const loaded = await loadYamlPaths([dir]);

    expect(loaded.objects).toEqual([]);
    expect(loaded.errors).toEqual([`${path.join(dir, "a.yaml")}: a loop of symbolic links`, `${path.join(dir, "b.yaml")}: a loop of symbolic links`]);
  });
});
