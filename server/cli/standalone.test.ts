import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareStandaloneServer, standaloneListenEnv } from "./standalone";

describe("the standalone server outside the image", () => {
  it("puts the static assets and public files where the Dockerfile copies them, once", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "standalone-"));
    mkdirSync(path.join(root, ".next-x", "standalone", ".next-x"), { recursive: true });
    writeFileSync(path.join(root, ".next-x", "standalone", "server.js"), "");
    mkdirSync(path.join(root, ".next-x", "static", "chunks"), { recursive: true });
    writeFileSync(path.join(root, ".next-x", "static", "chunks", "app.js"), "app");
    mkdirSync(path.join(root, "public"));
    writeFileSync(path.join(root, "public", "favicon.svg"), "icon");

    const server = prepareStandaloneServer(root, ".next-x");
    expect(server).toBe(path.join(root, ".next-x", "standalone", "server.js"));
    expect(prepareStandaloneServer(root, ".next-x")).toBe(server);
    expect(readFileSync(path.join(root, ".next-x", "standalone", ".next-x", "static", "chunks", "app.js"), "utf8")).toBe("app");
    expect(readFileSync(path.join(root, ".next-x", "standalone", "public", "favicon.svg"), "utf8")).toBe("icon");
  });

  it("answers undefined without a standalone build", () => {
    expect(prepareStandaloneServer(mkdtempSync(path.join(os.tmpdir(), "standalone-")), ".next")).toBeUndefined();
  });

  it("gives Next.js and the console the same address, so the server does not refuse to start", () => {
    expect(standaloneListenEnv("127.0.0.1", 20001)).toMatchObject({ HOSTNAME: "127.0.0.1", MESH_CONSOLE_ADDRESS: "127.0.0.1", PORT: "20001", MESH_CONSOLE_PORT: "20001" });
  });
});
