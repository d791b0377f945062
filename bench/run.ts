/**
 * `npm run bench [-- NAME…]`: runs the benchmarks in this folder one after another (all of them,
 * or those whose file name contains a NAME), each in its own process so one cannot skew the next.
 * Benchmarks print their own figures; nothing here asserts.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const benchDir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benchmarks = readdirSync(benchDir)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
  .sort();

if (benchmarks.length === 0) {
  console.error(`No benchmark matches ${wanted.join(", ")}; available: ${readdirSync(benchDir).filter((file) => file.endsWith(".bench.ts")).join(", ")}`);
  process.exit(2);
}

let failed = 0;
for (const file of benchmarks) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, file)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${file} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
