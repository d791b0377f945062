/**
 * The mesh traffic simulator: plays the Envoy proxies and istiod of a mesh read from the
 * Kubernetes API, and serves Istio's standard metrics for Prometheus to scrape.
 *   GET /metrics         istio_* series of every simulated proxy
 *   GET /istiod/metrics  pilot_* series of the simulated control plane
 *   GET /debug/syncz     istiod's per-proxy xDS sync status (syncz.ts); the simulator points the
 *                        istio-system/istiod Service at itself so the API server's service proxy reaches it
 *   GET /sd/pods         Prometheus HTTP service discovery: one target per proxy pod (pod-scrape.ts)
 *   GET /metrics/pods/NAMESPACE/POD  that pod's own series (sidecar, gateway, waypoint or ztunnel)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { z } from "zod";
import { BOOKINFO_MODEL, parseCallGraphModel, type CallGraphModel } from "./call-graph";
import { IstiodSimulation } from "./istiod";
import { createGatewayController } from "./gateway-controller";
import { watchMesh, type MeshSource } from "./kube-source";
import { buildMeshSnapshot } from "./mesh";
import { startPodLogWriter, type PodLogWriter } from "./pod-log-writer";
import { watchPods, type PodDirectory } from "./pod-directory";
import { httpServiceDiscovery, podOfPath, scrapePods, type ScrapePod } from "./pod-scrape";
import { KubeConfig } from "@kubernetes/client-node";
import { createRandom } from "./random";
import { generateMesh, scaleSpecSchema, type SyntheticMesh } from "./scale";
import { announceIstiodDebug, podLister, synczEntries } from "./syncz";
import { writeObjects } from "./scale-writer";
import { TrafficEngine } from "./traffic-engine";

export { BOOKINFO_MODEL, parseCallGraphModel } from "./call-graph";
export { generateMesh, parseScaleSpec, type ScaleSpec, type SyntheticMesh } from "./scale";
export { writeObjects } from "./scale-writer";

export const simulatorOptionsSchema = z.object({
  kubeconfigPath: z.string().min(1, "kubeconfigPath: a kubeconfig file is required"),
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(20091),
  edgeRps: z.number().min(0).default(20),
  jasonShare: z.number().min(0).max(1).default(0.1),
  tickMs: z.number().int().min(50).max(60_000).default(1000),
  seed: z.number().int().default(1),
  scale: scaleSpecSchema.optional(),
  /** istio_request_bytes / istio_response_bytes; default on, off in scale mode. */
  byteHistograms: z.boolean().optional(),
  /** Envoy access logs and app lines pushed into the emulator's pods/log; default on, off in scale mode. */
  podLogs: z.boolean().optional(),
  /** Serve one scrape target per proxy pod (/sd/pods, /metrics/pods/…); costs a Pod watch. Default on. */
  podTargets: z.boolean().default(true),
});

export type SimulatorOptions = z.input<typeof simulatorOptionsSchema> & {
  /** Replaces the Bookinfo call graph. */
  model?: CallGraphModel;
  log?: (message: string) => void;
};

export interface Simulator {
  url: string;
  port: number;
  engine: TrafficEngine;
  /** Set in scale mode: what was generated and written. */
  synthetic?: SyntheticMesh;
  close(): Promise<void>;
}

/** Bookinfo plus a generated mesh: both get traffic, in proportion to their entry points. */
function mergeModels(base: CallGraphModel, extra: CallGraphModel): CallGraphModel {
  return parseCallGraphModel({
    name: `${base.name}+${extra.name}`,
    entry: { ...base.entry, targets: [...base.entry.targets, ...extra.entry.targets] },
    behaviours: [...extra.behaviours, ...base.behaviours],
    fallback: base.fallback,
  });
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`).join("; ");
}

export async function startSimulator(input: SimulatorOptions): Promise<Simulator> {
  const parsed = simulatorOptionsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`simulator options: ${issuesOf(parsed.error)}`);
  const options = parsed.data;
  const log = input.log ?? ((message: string) => console.error(`[simulator] ${message}`));

  let model = input.model ?? BOOKINFO_MODEL;
  let synthetic: SyntheticMesh | undefined;
  if (options.scale) {
    synthetic = generateMesh(options.scale, options.seed);
    const written = await writeObjects(options.kubeconfigPath, synthetic.objects);
    log(`scale mode: ${synthetic.counts.workloads} workloads, ${synthetic.counts.edges} edges in ${synthetic.counts.namespaces} namespaces (${written.created} objects created, ${written.existing} already there)`);
    model = mergeModels(model, parseCallGraphModel(synthetic.model));
  }

  const istiod = new IstiodSimulation(createRandom(options.seed + 1), log);
  // The watch can report changes before the engine exists; those land in the first snapshot.
  const live: { engine?: TrafficEngine; source?: MeshSource } = {};
  const gatewayController = createGatewayController(options.kubeconfigPath, log);
  const refresh = () => {
    if (!live.source) return;
    const source = live.source;
    gatewayController.reconcile(() => source.objects());
    const admitted = istiod.admit(buildMeshSnapshot(live.source.objects()));
    istiod.observe(admitted);
    live.engine?.setSnapshot(admitted);
  };
  const source = await watchMesh({ kubeconfigPath: options.kubeconfigPath, onChange: refresh, log });
  live.source = source;
  gatewayController.reconcile(() => source.objects());
  const first = istiod.admit(buildMeshSnapshot(source.objects()));
  istiod.observe(first);
  const trafficEngine = new TrafficEngine(model, first, {
    edgeRps: options.edgeRps,
    jasonShare: options.jasonShare,
    seed: options.seed,
    byteHistograms: options.byteHistograms ?? !options.scale,
  });
  live.engine = trafficEngine;
  // Logs cost a Pod watch and a request per tick: not worth it for a scale test's thousands of pods.
  let podLogs: PodLogWriter | undefined;
  if (options.podLogs ?? !options.scale) {
    podLogs = await startPodLogWriter({ kubeconfigPath: options.kubeconfigPath, engine: trafficEngine, model, seed: options.seed, log }).catch((error: Error) => {
      log(`pod logs: off (${error.message})`);
      return undefined;
    });
  }

  let podDirectory: PodDirectory | undefined;
  if (options.podTargets) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(options.kubeconfigPath);
    podDirectory = await watchPods(kubeConfig, log).catch((error: Error) => {
      log(`per-pod scrape targets: off (${error.message})`);
      return undefined;
    });
  }
  // Recomputed at most once a second: Prometheus asks for every pod's target within one interval.
  let scrapeIndex: { at: number; pods: ScrapePod[]; byName: Map<string, ScrapePod> } | undefined;
  const currentScrapePods = () => {
    const now = Date.now();
    if (!scrapeIndex || now - scrapeIndex.at > 1000) {
      const pods = podDirectory ? scrapePods(podDirectory.all()) : [];
      scrapeIndex = { at: now, pods, byName: new Map(pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod])) };
    }
    return scrapeIndex;
  };

  let lastTick = Date.now();
  const tickNow = () => {
    const now = Date.now();
    const elapsed = Math.max(1, now - lastTick);
    lastTick = now;
    trafficEngine.tick(now, elapsed);
    podLogs?.afterTick(now, elapsed);
  };
  const timer = setInterval(tickNow, options.tickMs);
  const listPods = podLister(options.kubeconfigPath);

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET") {
      response.writeHead(405, { allow: "GET" }).end("only GET is served\n");
      return;
    }
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      Readable.from(trafficEngine.store.chunks()).pipe(response);
      return;
    }
    if (path === "/sd/pods") {
      // Prometheus reaches every pod's target at the simulator's own address.
      const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
      const address = `${host.includes(":") ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(httpServiceDiscovery(currentScrapePods().pods, address)));
      return;
    }
    const podPath = podOfPath(path ?? "");
    if (podPath) {
      const pod = currentScrapePods().byName.get(`${podPath.namespace}/${podPath.name}`);
      if (!pod) {
        response.writeHead(404).end(`no proxy pod ${podPath.namespace}/${podPath.name}; /sd/pods lists them\n`);
        return;
      }
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      Readable.from(trafficEngine.store.podChunks(pod.owner, pod.index, pod.count)).pipe(response);
      return;
    }
    if (path === "/istiod/metrics") {
      istiod.metrics().then(
        (text) => response.writeHead(200, { "content-type": istiod.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(`istiod metrics: ${error.message}\n`),
      );
      return;
    }
    if (path === "/debug/syncz") {
      listPods().then(
        (pods) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(synczEntries(pods, istiod.syncState()))),
        (error: Error) => response.writeHead(500).end(`syncz: ${error.message}\n`),
      );
      return;
    }
    if (path === "/healthz") {
      response.writeHead(200).end("ok\n");
      return;
    }
    response.writeHead(404).end("not found: try /metrics or /istiod/metrics\n");
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    clearInterval(timer);
    await source.stop();
    await podLogs?.stop();
    await podDirectory?.stop();
    throw new Error(`simulator: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
  }
  const port = (server.address() as AddressInfo).port;
  await announceIstiodDebug(options.kubeconfigPath, `127.0.0.1:${port}`, log);

  return {
    url: `http://${options.host}:${port}`,
    port,
    engine: trafficEngine,
    synthetic,
    close: async () => {
      clearInterval(timer);
      await source.stop();
      await gatewayController.idle();
      await podLogs?.stop();
      await podDirectory?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
