/**
 * The traffic simulator at 1,000 workloads: series count, /metrics scrape time and size, and the
 * simulator's CPU over a minute of ticks. Prints figures, asserts nothing.
 *
 *   npx tsx bench/simulator-scale.bench.ts [namespaces=50,services=20,versions=1,fanout=5] [--seconds 60]
 *
 * The Kubernetes API emulator runs in this process; the simulator runs as its own process (as in
 * the demo) so its CPU can be read from /proc without the emulator's.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startKubeApi } from "../demo/kube-api/index";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const scale = args.find((a) => a.includes("=")) ?? "namespaces=50,services=20,versions=1,fanout=5";
const secondsFlag = args.indexOf("--seconds");
const measureSeconds = secondsFlag >= 0 ? Number(args[secondsFlag + 1]) : 60;
const SCRAPE_INTERVAL_S = 15;

/** utime + stime of a process, in seconds (Linux /proc; clock ticks are 100 Hz on Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function scrape(url: string): Promise<{ ms: number; bytes: number; samples: number; requestSeries: number }> {
  const started = performance.now();
  const text = await (await fetch(`${url}/metrics`)).text();
  const ms = performance.now() - started;
  let samples = 0;
  let requestSeries = 0;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    samples++;
    if (line.startsWith("istio_requests_total{")) requestSeries++;
  }
  return { ms, bytes: Buffer.byteLength(text), samples, requestSeries };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), "simulator-bench-"));
  const kubeconfigPath = path.join(workDir, "kubeconfig");
  const kubeApi = await startKubeApi({ seed: [path.join(repoRoot, "demo/manifests")], kubeconfigPath });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "demo/simulator/main.ts"), "--kubeconfig", kubeconfigPath, "--port", "0", "--scale", scale, "--edge-rps", "1000", "--seed", "1"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
      createInterface({ input: child.stdout }).on("line", (line) => {
        const match = /simulator listening on (\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
    });
    const readyS = (performance.now() - started) / 1000;
    const pid = child.pid;
    if (pid === undefined) throw new Error("simulator has no pid");
    console.log(`scale ${scale}: simulator ready in ${readyS.toFixed(1)} s (objects written through the API, watches synced)`);

    await sleep(SCRAPE_INTERVAL_S * 1000);
    const cpuStart = cpuSeconds(pid);
    const wallStart = performance.now();
    let scrapes = 0;
    while (performance.now() - wallStart < measureSeconds * 1000) {
      await scrape(url);
      scrapes++;
      await sleep(Math.max(0, Math.min(SCRAPE_INTERVAL_S * 1000, measureSeconds * 1000 - (performance.now() - wallStart))));
    }
    const cpuPercent = ((cpuSeconds(pid) - cpuStart) / ((performance.now() - wallStart) / 1000)) * 100;

    const timings: number[] = [];
    let last = await scrape(url);
    for (let i = 0; i < 10; i++) {
      last = await scrape(url);
      timings.push(last.ms);
    }
    console.log(`series (istio_requests_total): ${last.requestSeries}`);
    console.log(`samples per scrape (all lines):  ${last.samples}`);
    console.log(`scrape size: ${(last.bytes / 1e6).toFixed(1)} MB`);
    console.log(`scrape duration: p50 ${percentile(timings, 50).toFixed(0)} ms, p95 ${percentile(timings, 95).toFixed(0)} ms (10 scrapes, client-side, incl. transfer)`);
    console.log(`simulator CPU: ${cpuPercent.toFixed(1)}% of one core over ${measureSeconds} s of 1 s ticks, with a scrape every ${SCRAPE_INTERVAL_S} s (${scrapes} scrapes)`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await kubeApi.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
