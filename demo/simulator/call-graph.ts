/**
 * The declarative description of what the simulated applications do: which services each app
 * calls per request it serves, how fast and how reliably it answers, and where traffic enters
 * the mesh. Routing (which version answers) is not here: it comes from the Istio config read
 * from the cluster. The scale mode generates one of these for a synthetic mesh.
 */
import { z } from "zod";

const latencySchema = z.object({
  medianMs: z.number().positive(),
  p99Ms: z.number().positive(),
});

const callSchema = z.object({
  /** Service name, relative to `namespace` (default: the caller's namespace). */
  service: z.string().min(1),
  namespace: z.string().optional(),
  /** Calls made per request served (may be fractional: 0.5 = every other request). */
  callsPerRequest: z.number().min(0).default(1),
  uri: z.string().default("/"),
  /** Overrides the protocol derived from the Service's port name. */
  protocol: z.enum(["http", "grpc", "tcp"]).optional(),
});

const behaviourSchema = z.object({
  /** Namespace of the app; absent = any namespace. */
  namespace: z.string().optional(),
  app: z.string().min(1),
  /** Versions the behaviour applies to; absent = all versions of the app. */
  versions: z.array(z.string()).optional(),
  latency: latencySchema,
  /** Share of requests the app itself fails (0..1). */
  errorRate: z.number().min(0).max(1).default(0),
  errorCode: z.number().int().min(400).max(599).default(500),
  requestBytes: z.number().positive().default(300),
  responseBytes: z.number().positive().default(2000),
  calls: z.array(callSchema).default([]),
});

const entrySchema = z.object({
  /** The gateway workload (Deployment name) that receives traffic from outside the mesh. */
  gatewayWorkload: z.string().default("istio-ingressgateway"),
  gatewayNamespace: z.string().default("istio-system"),
  targets: z
    .array(
      z.object({
        service: z.string().min(1),
        namespace: z.string().min(1),
        uri: z.string().default("/"),
        /** Share of the edge rate sent to this target; shares are normalised. */
        share: z.number().positive().default(1),
        /**
         * `gateway`: through the ingress gateway. `direct`: straight to the service from a client
         * without a proxy (a NodePort or LoadBalancer in front of the workload).
         */
        via: z.enum(["gateway", "direct"]).default("gateway"),
      }),
    )
    .min(1),
  /**
   * Traffic from outside the mesh into Gateway API Gateways, at its own steady rate beside the edge
   * rate: it enters at the gateway istiod deployed for the Gateway (nothing while there is none)
   * and follows the routes attached to it.
   */
  gatewayApi: z
    .array(
      z.object({
        namespace: z.string().min(1),
        /** The Gateway's name. */
        gateway: z.string().min(1),
        /** The Host header the clients send. */
        hostname: z.string().min(1),
        uri: z.string().default("/"),
        requestsPerSecond: z.number().positive(),
      }),
    )
    .default([]),
  /**
   * Workloads in the mesh that call on their own at a steady rate (a batch job, an auditor), as
   * long as their Deployment exists: without it they send nothing, so a test can bring one in.
   */
  clients: z
    .array(
      z.object({
        namespace: z.string().min(1),
        /** The Deployment's name. */
        workload: z.string().min(1),
        service: z.string().min(1),
        /** The Service's namespace; default the client's. */
        serviceNamespace: z.string().min(1).optional(),
        uri: z.string().default("/"),
        requestsPerSecond: z.number().positive(),
      }),
    )
    .default([]),
});

export const callGraphModelSchema = z.object({
  name: z.string(),
  entry: entrySchema,
  behaviours: z.array(behaviourSchema),
  /** Used for workloads no behaviour describes: they answer, but call nobody. */
  fallback: behaviourSchema.omit({ app: true, namespace: true, versions: true, calls: true }).default({
    latency: { medianMs: 5, p99Ms: 40 },
    errorRate: 0,
    errorCode: 500,
    requestBytes: 300,
    responseBytes: 1000,
  }),
});

export type CallGraphModel = z.infer<typeof callGraphModelSchema>;
export type CallGraphModelInput = z.input<typeof callGraphModelSchema>;
export type WorkloadBehaviour = z.infer<typeof behaviourSchema>;
export type Call = z.infer<typeof callSchema>;

export function parseCallGraphModel(input: unknown): CallGraphModel {
  const parsed = callGraphModelSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`call-graph model: ${issues}`);
  }
  return parsed.data;
}

/** The first behaviour naming this app (and version, and namespace when given). */
export function behaviourFor(
  model: CallGraphModel,
  workload: { namespace: string; app: string; version: string },
): WorkloadBehaviour | undefined {
  return model.behaviours.find(
    (b) =>
      b.app === workload.app &&
      (b.namespace === undefined || b.namespace === workload.namespace) &&
      (b.versions === undefined || b.versions.includes(workload.version)),
  );
}

/**
 * The demo mesh. Istio's Bookinfo: productpage calls details and reviews; reviews v2 and v3
 * call ratings (v1 shows no stars); ratings reads from MongoDB over TCP.
 * https://istio.io/latest/docs/examples/bookinfo/
 * And mesh-lab: clients outside the mesh call `web` directly; web calls `catalog` over HTTP
 * and `legacy`, whose port name carries no protocol (so Istio treats that traffic as TCP).
 */
// Bookinfo answers without errors of its own, so the demo starts healthy under the console's
// 0.1 % threshold; failures come from the config people change (faults, missing subsets) and from
// mesh-lab, which carries a small error rate.
export const BOOKINFO_MODEL: CallGraphModel = parseCallGraphModel({
  name: "bookinfo",
  entry: {
    targets: [
      { service: "productpage", namespace: "bookinfo", uri: "/productpage", share: 0.8 },
      { service: "web", namespace: "mesh-lab", uri: "/", share: 0.2, via: "direct" },
    ],
    clients: [
      // Not in the seed: e2e/authorization.spec.ts creates it to show a newcomer denied by a policy.
      { namespace: "bookinfo", workload: "details-auditor", service: "details", uri: "/details/0", requestsPerSecond: 2 },
      // payments: batch-export runs without a proxy (its pods opt out of injection), so ledger
      // receives plaintext until it gets one (e2e/mtls.spec.ts).
      { namespace: "payments", workload: "batch-export", service: "ledger", uri: "/entries", requestsPerSecond: 4 },
      // ambient-shop (demo/manifests/60-ambient.yaml): cart is behind the waypoint, ledger is not;
      // buyer has a sidecar, legacy-report opted out of the mesh.
      { namespace: "ambient-shop", workload: "shop-web", service: "cart", uri: "/cart", requestsPerSecond: 6 },
      { namespace: "ambient-shop", workload: "shop-web", service: "ledger", uri: "/entries", requestsPerSecond: 3 },
      { namespace: "shop-clients", workload: "buyer", service: "cart", serviceNamespace: "ambient-shop", uri: "/cart", requestsPerSecond: 2 },
      { namespace: "ambient-shop", workload: "legacy-report", service: "ledger", uri: "/entries", requestsPerSecond: 1 },
    ],
    // storefront: routed only by the Gateway API (demo/manifests/50-storefront.yaml).
    gatewayApi: [{ namespace: "storefront", gateway: "storefront-gateway", hostname: "shop.example.com", uri: "/", requestsPerSecond: 8 }],
  },
  behaviours: [
    {
      namespace: "bookinfo",
      app: "productpage",
      latency: { medianMs: 28, p99Ms: 160 },
      requestBytes: 450,
      responseBytes: 5200,
      calls: [
        { service: "details", uri: "/details/0" },
        { service: "reviews", uri: "/reviews/0" },
      ],
    },
    { namespace: "bookinfo", app: "details", latency: { medianMs: 3, p99Ms: 18 }, responseBytes: 180 },
    { namespace: "bookinfo", app: "reviews", versions: ["v1"], latency: { medianMs: 6, p99Ms: 40 }, responseBytes: 380 },
    {
      namespace: "bookinfo",
      app: "reviews",
      latency: { medianMs: 14, p99Ms: 90 },
      responseBytes: 440,
      calls: [{ service: "ratings", uri: "/ratings/0" }],
    },
    {
      namespace: "bookinfo",
      app: "ratings",
      latency: { medianMs: 4, p99Ms: 25 },
      responseBytes: 60,
      calls: [{ service: "mongodb" }],
    },
    { namespace: "bookinfo", app: "mongodb", latency: { medianMs: 1.5, p99Ms: 8 }, requestBytes: 120, responseBytes: 350 },
    {
      namespace: "mesh-lab",
      app: "web",
      latency: { medianMs: 20, p99Ms: 120 },
      errorRate: 0.002,
      calls: [
        { service: "catalog", uri: "/items" },
        { service: "legacy", uri: "/", callsPerRequest: 0.5 },
      ],
    },
    { namespace: "mesh-lab", app: "catalog", latency: { medianMs: 8, p99Ms: 45 }, errorRate: 0.003, responseBytes: 1200 },
    { namespace: "mesh-lab", app: "legacy", latency: { medianMs: 12, p99Ms: 80 }, responseBytes: 800 },
    {
      namespace: "storefront",
      app: "web",
      latency: { medianMs: 18, p99Ms: 110 },
      // Two catalog calls per page (listing and recommendations), so a canary split shows quickly.
      calls: [{ service: "catalog", uri: "/items", callsPerRequest: 2 }],
    },
    {
      namespace: "storefront",
      app: "catalog",
      latency: { medianMs: 9, p99Ms: 50 },
      responseBytes: 1400,
      calls: [{ service: "inventory", uri: "/storefront.Inventory/GetStock", callsPerRequest: 0.5 }],
    },
    { namespace: "storefront", app: "inventory", latency: { medianMs: 2, p99Ms: 12 }, requestBytes: 80, responseBytes: 120 },
    { namespace: "ambient-shop", app: "cart", versions: ["v1"], latency: { medianMs: 6, p99Ms: 35 }, responseBytes: 900 },
    { namespace: "ambient-shop", app: "cart", versions: ["v2"], latency: { medianMs: 9, p99Ms: 50 }, responseBytes: 950 },
    { namespace: "ambient-shop", app: "ledger", latency: { medianMs: 3, p99Ms: 20 }, requestBytes: 250, responseBytes: 600 },
  ],
});
