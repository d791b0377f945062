/**
 * Writes the simulated containers' logs into the demo's Kubernetes API: after each tick, the
 * sampler's lines go out in one POST /emulator/pod-logs (an emulator-only endpoint, admin
 * token), with the kubeconfig's server, certificate authority and token. A real cluster has no
 * such endpoint: on 404 the writer says so once and stops.
 */
import { request } from "node:https";
import { request as plainRequest, type RequestOptions } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import type { CallGraphModel } from "./call-graph";
import { AccessLogSampler, DEFAULT_SAMPLER_LIMITS, type PodLogEntry, type SamplerLimits } from "./access-log-sampler";
import { watchPods } from "./pod-directory";
import { createRandom } from "./random";
import type { TrafficEngine } from "./traffic-engine";

export const POD_LOGS_PATH = "/emulator/pod-logs";

export interface PodLogWriter {
  /** Samples the tick the engine just computed and ships its lines. */
  afterTick(nowMs: number, tickMs: number): void;
  stop(): Promise<void>;
}

export interface PodLogWriterOptions {
  kubeconfigPath: string;
  engine: TrafficEngine;
  model: CallGraphModel;
  seed: number;
  limits?: SamplerLimits;
  log: (message: string) => void;
}

type Send = (entries: PodLogEntry[]) => Promise<number>;

function sender(kubeConfig: KubeConfig): Send {
  const server = new URL(kubeConfig.getCurrentCluster()?.server ?? "https://127.0.0.1");
  return async (entries) => {
    const body = JSON.stringify({ entries });
    const options: RequestOptions = {
      method: "POST",
      protocol: server.protocol,
      hostname: server.hostname.replace(/^\[|\]$/g, ""),
      port: server.port,
      path: POD_LOGS_PATH,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      timeout: 5000,
    };
    await kubeConfig.applyToHTTPSOptions(options);
    return new Promise<number>((resolve, reject) => {
      const req = (server.protocol === "http:" ? plainRequest : request)(options, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("timeout", () => req.destroy(new Error("timed out after 5 s")));
      req.on("error", reject);
      req.end(body);
    });
  };
}

export async function startPodLogWriter(options: PodLogWriterOptions): Promise<PodLogWriter> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfigPath);
  const pods = await watchPods(kubeConfig, options.log);
  const sampler = new AccessLogSampler(createRandom(options.seed + 2), options.model, options.limits ?? DEFAULT_SAMPLER_LIMITS);
  const send = sender(kubeConfig);
  options.engine.tapProxyReports((record) => sampler.observe(record));
  let inFlight = false;
  let disabled = false;
  let lastError = "";

  const report = (message: string) => {
    // Once per distinct failure, so a down API server does not flood the simulator's log.
    if (message === lastError) return;
    lastError = message;
    options.log(message);
  };

  return {
    afterTick: (nowMs, tickMs) => {
      const entries = sampler.drain({ nowMs, tickMs, mesh: options.engine.mesh, podsOf: (key) => pods.podsOf(key) });
      // One request at a time: when the API server is slow, a tick's lines are dropped rather than queued.
      if (disabled || inFlight || entries.length === 0) return;
      inFlight = true;
      send(entries).then(
        (status) => {
          inFlight = false;
          if (status === 404 || status === 405) {
            disabled = true;
            options.engine.tapProxyReports(undefined);
            options.log(`pod logs: the Kubernetes API has no ${POD_LOGS_PATH} (HTTP ${status}), so it is not the demo's emulator; pod logs are off`);
          } else if (status >= 300) {
            report(`pod logs: POST ${POD_LOGS_PATH} answered HTTP ${status}; lines of this tick are dropped`);
          } else {
            lastError = "";
          }
        },
        (error: Error) => {
          inFlight = false;
          report(`pod logs: POST ${POD_LOGS_PATH} failed: ${error.message}; lines of this tick are dropped`);
        },
      );
    },
    stop: async () => {
      options.engine.tapProxyReports(undefined);
      await pods.stop();
    },
  };
}
