/**
 * Starts a real Prometheus (the Debian package's binary) on loopback with a temporary data
 * directory, scraping the demo's simulated sidecars, its simulated istiod and the console itself.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { startProcess, waitForHttp, type ManagedProcess } from "./processes";
import { findExecutable } from "./executables";

export interface ScrapeTarget {
  job: string;
  /** host:port */
  address: string;
  metricsPath?: string;
  labels?: Record<string, string>;
  /** Discover the targets from this HTTP service discovery URL (the simulator's per-pod list) instead. */
  httpSdUrl?: string;
}

export interface PrometheusOptions {
  port: number;
  scrapeIntervalSeconds: number;
  targets: ScrapeTarget[];
  ruleFiles?: string[];
  log?: "inherit" | "quiet";
}

export interface RunningPrometheus {
  url: string;
  process: ManagedProcess;
  dataDir: string;
  stop(): Promise<void>;
  /** Stops the server but keeps its data (fault tests: "Prometheus went away"). */
  pause(): Promise<void>;
  /** Starts it again on the same port with the same data after pause(). */
  resume(): Promise<void>;
}

export function prometheusConfig(options: Pick<PrometheusOptions, "scrapeIntervalSeconds" | "targets" | "ruleFiles">): string {
  const interval = `${options.scrapeIntervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: options.targets.map((target) => ({
      job_name: target.job,
      metrics_path: target.metricsPath ?? "/metrics",
      // The simulator speaks for many sidecars at once; their own labels must win over the target's.
      honor_labels: true,
      ...(target.httpSdUrl
        ? // Pods come and go with Deployments and gateways: refresh the list about as often as scraping.
          { http_sd_configs: [{ url: target.httpSdUrl, refresh_interval: interval }] }
        : { static_configs: [{ targets: [target.address], labels: target.labels ?? {} }] }),
    })),
  });
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = await findExecutable("prometheus", "Prometheus", "apt-get install prometheus");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "mesh-console-prometheus-"));
  const configFile = path.join(dataDir, "prometheus.yml");
  await writeFile(configFile, prometheusConfig(options));
  const url = `http://127.0.0.1:${options.port}`;
  const launch = () =>
    startProcess({
      role: "prometheus",
      command: binary,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dataDir, "data")}`,
        `--web.listen-address=127.0.0.1:${options.port}`,
        "--web.enable-lifecycle",
        "--storage.tsdb.retention.time=1d",
        "--log.level=warn",
      ],
      log: options.log ?? "quiet",
    });
  let managed = launch();
  const stop = async () => {
    await managed.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/-/ready`, managed, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    get process() {
      return managed;
    },
    dataDir,
    stop,
    pause: () => managed.stop(),
    async resume() {
      managed = launch();
      await waitForHttp(`${url}/-/ready`, managed, 60_000);
    },
  };
}
