import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatObjectRef } from "@/lib/validation/finding";
import { validate } from "./engine";
import { parseMeshConfigText } from "./mesh-config";
import { allRules } from "./rules";
import { snapshotFromObjects } from "./snapshot";
import { parseYamlDocuments } from "./yaml-input";

/**
 * Runs Istio's own analyzer cases (the istio-analyze corpus beside the repository) through the
 * engine and scores them as the corpus README says: per case, only findings with the codes the case
 * lists, compared as a multiset of {code, resource}. Each case exercises one Istio analyzer, so only
 * our rules that answer to that analyzer run.
 */

const repoRoot = path.resolve(import.meta.dirname, "../..");
const corpusDir = path.resolve(repoRoot, "../shared/corpus/istio-analyze");
const corpusPresent = existsSync(path.join(corpusDir, "cases.json"));

const caseSchema = z.object({
  name: z.string(),
  analyzer: z.string(),
  scope: z.enum(["core", "optional"]),
  inputs: z.array(z.string()),
  meshConfig: z.string().nullable(),
  codes: z.array(z.object({ code: z.string(), name: z.string() })),
  expected: z.array(z.object({ code: z.string(), name: z.string(), level: z.string(), resource: z.string() })),
});
type ConformanceCase = z.infer<typeof caseSchema>;

const baselineSchema = z.object({ core: z.object({ recall: z.number(), precision: z.number() }) });

/**
 * The corpus files Istio's Gateway API analyzers under "optional"; the console reads the Gateway API,
 * so they count as core here.
 */
const gatewayApiCoreCases = new Set(["KubernetesGatewaySelector", "GatewayAPICRDVersionBelowMinimum", "Condition Analyzer"]);

function withConsoleScope(testCase: ConformanceCase): ConformanceCase {
  return gatewayApiCoreCases.has(testCase.name) ? { ...testCase, scope: "core" } : testCase;
}

interface Tally {
  name: string;
  expected: number;
  truePositive: number;
  falsePositive: number;
}

function runCase(testCase: ConformanceCase): { actual: string[]; expected: string[] } {
  const objects: unknown[] = [];
  for (const input of testCase.inputs) {
    const file = path.join(corpusDir, input);
    const parsed = parseYamlDocuments(readFileSync(file, "utf8"), input);
    if (parsed.errors.length > 0) throw new Error(parsed.errors.join("; "));
    objects.push(...parsed.objects);
  }
  const meshConfig = testCase.meshConfig ? parseMeshConfigText(readFileSync(path.join(corpusDir, testCase.meshConfig), "utf8"), testCase.meshConfig) : undefined;
  const snapshot = snapshotFromObjects(objects, { meshConfig, assumeDefaultIngressGateway: true });
  const rules = allRules.filter((rule) => rule.istioAnalyzers?.includes(testCase.analyzer));
  const codes = new Set(testCase.codes.map((c) => c.code));
  const actual = rules.length === 0 ? [] : validate(snapshot, { rules }).filter((f) => codes.has(f.code)).map((f) => `${f.code} ${formatObjectRef(f.object)}`);
  const expected = testCase.expected.map((e) => `${e.code} ${e.resource}`);
  return { actual, expected };
}

function score(cases: ConformanceCase[], tallies: Map<string, Tally>, mismatches: string[]): void {
  for (const testCase of cases) {
    const { actual, expected } = runCase(testCase);
    const remaining = new Map<string, number>();
    for (const key of expected) remaining.set(key, (remaining.get(key) ?? 0) + 1);
    for (const e of testCase.expected) {
      const tally = tallies.get(e.code) ?? { name: e.name, expected: 0, truePositive: 0, falsePositive: 0 };
      tally.expected += 1;
      tallies.set(e.code, tally);
    }
    const extra: string[] = [];
    for (const key of actual) {
      const code = key.slice(0, key.indexOf(" "));
      const tally = tallies.get(code) ?? { name: testCase.codes.find((c) => c.code === code)?.name ?? code, expected: 0, truePositive: 0, falsePositive: 0 };
      tallies.set(code, tally);
      const left = remaining.get(key) ?? 0;
      if (left > 0) {
        remaining.set(key, left - 1);
        tally.truePositive += 1;
      } else {
        tally.falsePositive += 1;
        extra.push(key);
      }
    }
    const missed = [...remaining].flatMap(([key, count]) => Array<string>(count).fill(key));
    if (extra.length > 0 || missed.length > 0) {
      mismatches.push(`${testCase.scope} "${testCase.name}" (${testCase.analyzer}): missed [${missed.join("; ")}] extra [${extra.join("; ")}]`);
    }
  }
}

function percent(numerator: number, denominator: number): number {
  return denominator === 0 ? 100 : Math.round((numerator / denominator) * 1000) / 10;
}

function table(tallies: Map<string, Tally>): { text: string; recall: number; precision: number } {
  const lines = ["| Code | Name | Expected | Found | False positives | Recall | Precision |", "|---|---|---:|---:|---:|---:|---:|"];
  let expected = 0;
  let truePositive = 0;
  let falsePositive = 0;
  for (const [code, tally] of [...tallies].sort(([a], [b]) => (a < b ? -1 : 1))) {
    expected += tally.expected;
    truePositive += tally.truePositive;
    falsePositive += tally.falsePositive;
    lines.push(
      `| ${code} | ${tally.name} | ${tally.expected} | ${tally.truePositive} | ${tally.falsePositive} | ${percent(tally.truePositive, tally.expected)} % | ${percent(tally.truePositive, tally.truePositive + tally.falsePositive)} % |`,
    );
  }
  const recall = percent(truePositive, expected);
  const precision = percent(truePositive, truePositive + falsePositive);
  lines.push(`| **Total** | | ${expected} | ${truePositive} | ${falsePositive} | ${recall} % | ${precision} % |`);
  return { text: lines.join("\n"), recall, precision };
}

describe.skipIf(!corpusPresent)("conformance with istioctl analyze cases", () => {
  it("matches Istio's analyzers on the core cases at least as well as the committed baseline", () => {
    const cases = z.array(caseSchema).parse(JSON.parse(readFileSync(path.join(corpusDir, "cases.json"), "utf8"))).map(withConsoleScope);
    expect(cases.filter((c) => gatewayApiCoreCases.has(c.name) && c.scope === "core")).toHaveLength(gatewayApiCoreCases.size);
    const baseline = baselineSchema.parse(JSON.parse(readFileSync(path.join(import.meta.dirname, "conformance-baseline.json"), "utf8")));
    const results: Record<string, { recall: number; precision: number }> = {};
    for (const scope of ["core", "optional"] as const) {
      const tallies = new Map<string, Tally>();
      const mismatches: string[] = [];
      const scoped = cases.filter((c) => c.scope === scope);
      score(scoped, tallies, mismatches);
      const summary = table(tallies);
      results[scope] = summary;
      console.log(`\n${scope} cases (${scoped.length}):\n${summary.text}`);
      if (mismatches.length > 0) console.log(`${scope} mismatches:\n  ${mismatches.join("\n  ")}`);
    }
    expect(results.core?.recall).toBeGreaterThanOrEqual(baseline.core.recall);
    expect(results.core?.precision).toBeGreaterThanOrEqual(baseline.core.precision);
  });
});

if (!corpusPresent) {
  console.log(`conformance: skipped, the istio-analyze corpus was not found at ${path.relative(repoRoot, corpusDir)} (expected beside the repository)`);
}
