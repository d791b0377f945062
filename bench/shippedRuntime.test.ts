import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "@/demo/orchestrate/demo";
import { finalStageEnv, shippedRuntimeEnv } from "./shippedRuntime";

describe("finalStageEnv", () => {
  it("reads only the last stage, joining continued lines and unquoting values", () => {
    const dockerfile = ['FROM node AS build', 'ENV NODE_OPTIONS=--inspect', 'FROM node AS runtime', 'ENV A=1 \\', '    B="two words" \\', '    C=3', 'RUN true', 'ENV D=4'].join("\n");
    expect(finalStageEnv(dockerfile)).toEqual({ A: "1", B: "two words", C: "3", D: "4" });
  });
});

describe("shippedRuntimeEnv", () => {
  it("gives the benchmarks the image's heap cap", async () => {
    const env = await shippedRuntimeEnv();
    expect(env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    expect(await readFile(path.join(REPO_ROOT, "Dockerfile"), "utf8")).toContain(`NODE_OPTIONS=${env.NODE_OPTIONS}`);
    expect(env).not.toHaveProperty("PORT");
  });
});
