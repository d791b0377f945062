/**
 * The annotations Istio defines (https://istio.io/latest/docs/reference/config/annotations/): where
 * each may be set, whether it is deprecated, and what form its value takes. Facts taken from Istio's
 * reference; the table is ours.
 */

export type AnnotatedKind = "Pod" | "Service" | "Namespace" | "Deployment" | "Ingress" | "Gateway" | "AuthorizationPolicy" | "Any";
export type ValueForm = "integer" | "boolean" | "any";

export interface IstioAnnotation {
  readonly kinds: readonly AnnotatedKind[];
  readonly deprecated?: string;
  readonly value?: ValueForm;
}

const pod: readonly AnnotatedKind[] = ["Pod"];
const any: readonly AnnotatedKind[] = ["Any"];

export const istioAnnotations: ReadonlyMap<string, IstioAnnotation> = new Map<string, IstioAnnotation>([
  ["inject.istio.io/templates", { kinds: pod }],
  ["istio.io/rev", { kinds: any }],
  ["istio.io/dry-run", { kinds: ["AuthorizationPolicy"], value: "boolean" }],
  ["istio.io/use-waypoint", { kinds: any }],
  ["istio.io/use-waypoint-namespace", { kinds: any }],
  ["istio.io/waypoint-for", { kinds: any }],
  ["kubernetes.io/ingress.class", { kinds: ["Ingress"] }],
  ["networking.istio.io/exportTo", { kinds: ["Service"] }],
  ["networking.istio.io/traffic-distribution", { kinds: ["Service"] }],
  ["networking.istio.io/address-type", { kinds: any }],
  ["networking.istio.io/service-type", { kinds: any }],
  ["networking.istio.io/gatewayPort", { kinds: ["Service"] }],
  ["gateway.istio.io/controller-version", { kinds: any }],
  ["gateway.istio.io/service-account", { kinds: any }],
  ["ambient.istio.io/redirection", { kinds: pod }],
  ["ambient.istio.io/bypass-inbound-capture", { kinds: pod }],
  ["ambient.istio.io/dns-capture", { kinds: pod }],
  ["prometheus.istio.io/merge-metrics", { kinds: pod, value: "boolean" }],
  ["proxy.istio.io/config", { kinds: pod }],
  ["proxy.istio.io/overrides", { kinds: pod }],
  ["readiness.status.sidecar.istio.io/applicationPorts", { kinds: pod }],
  ["readiness.status.sidecar.istio.io/failureThreshold", { kinds: pod, value: "integer" }],
  ["readiness.status.sidecar.istio.io/initialDelaySeconds", { kinds: pod, value: "integer" }],
  ["readiness.status.sidecar.istio.io/periodSeconds", { kinds: pod, value: "integer" }],
  ["status.sidecar.istio.io/port", { kinds: pod, value: "integer" }],
  ["sidecar.istio.io/agentLogLevel", { kinds: pod }],
  ["sidecar.istio.io/bootstrapOverride", { kinds: pod }],
  ["sidecar.istio.io/componentLogLevel", { kinds: pod }],
  ["sidecar.istio.io/controlPlaneAuthPolicy", { kinds: pod, deprecated: "" }],
  ["sidecar.istio.io/discoveryAddress", { kinds: pod, deprecated: "" }],
  ["sidecar.istio.io/enableCoreDump", { kinds: pod, value: "boolean" }],
  ["sidecar.istio.io/extraStatTags", { kinds: pod, deprecated: "; set extra tags through the Telemetry API instead" }],
  ["sidecar.istio.io/inject", { kinds: pod, value: "boolean" }],
  ["sidecar.istio.io/interceptionMode", { kinds: pod }],
  ["sidecar.istio.io/logLevel", { kinds: pod }],
  ["sidecar.istio.io/nativeSidecar", { kinds: pod, value: "boolean" }],
  ["sidecar.istio.io/proxyCPU", { kinds: pod }],
  ["sidecar.istio.io/proxyCPULimit", { kinds: pod }],
  ["sidecar.istio.io/proxyImage", { kinds: pod }],
  ["sidecar.istio.io/proxyImageType", { kinds: pod }],
  ["sidecar.istio.io/proxyMemory", { kinds: pod }],
  ["sidecar.istio.io/proxyMemoryLimit", { kinds: pod }],
  ["sidecar.istio.io/rewriteAppHTTPProbers", { kinds: pod, value: "boolean" }],
  ["sidecar.istio.io/statsHistogramBuckets", { kinds: pod }],
  ["sidecar.istio.io/statsInclusionPrefixes", { kinds: pod, deprecated: "; use proxy.istio.io/config proxyStatsMatcher instead" }],
  ["sidecar.istio.io/statsInclusionRegexps", { kinds: pod, deprecated: "; use proxy.istio.io/config proxyStatsMatcher instead" }],
  ["sidecar.istio.io/statsInclusionSuffixes", { kinds: pod, deprecated: "; use proxy.istio.io/config proxyStatsMatcher instead" }],
  ["sidecar.istio.io/status", { kinds: pod }],
  ["sidecar.istio.io/userVolume", { kinds: pod }],
  ["sidecar.istio.io/userVolumeMount", { kinds: pod }],
  ["sidecar.istio.io/templates", { kinds: pod }],
  ["topology.istio.io/controlPlaneClusters", { kinds: ["Namespace"] }],
  ["traffic.sidecar.istio.io/excludeInboundPorts", { kinds: pod }],
  ["traffic.sidecar.istio.io/excludeInterfaces", { kinds: pod }],
  ["traffic.sidecar.istio.io/excludeOutboundIPRanges", { kinds: pod }],
  ["traffic.sidecar.istio.io/excludeOutboundPorts", { kinds: pod }],
  ["traffic.sidecar.istio.io/includeInboundPorts", { kinds: pod }],
  ["traffic.sidecar.istio.io/includeOutboundIPRanges", { kinds: pod }],
  ["traffic.sidecar.istio.io/includeOutboundPorts", { kinds: pod }],
  ["traffic.sidecar.istio.io/kubevirtInterfaces", { kinds: pod }],
]);

/** Annotations in Istio's own domains (`*istio.io/…`) are Istio's to define. */
export function isIstioDomain(annotation: string): boolean {
  const slash = annotation.indexOf("/");
  return slash > 0 && annotation.slice(0, slash).endsWith("istio.io");
}

/** Prefixes Istio writes for its own bookkeeping, never set by users: not worth an "unknown" warning. */
const bookkeepingPrefixes = ["install.operator.istio.io/", "operator.istio.io/", "kubectl.kubernetes.io/"];

export function isBookkeeping(annotation: string): boolean {
  return bookkeepingPrefixes.some((prefix) => annotation.startsWith(prefix));
}

export function valueProblem(form: ValueForm | undefined, value: string): string | undefined {
  if (form === "integer" && !/^-?\d+$/.test(value.trim())) return `expected an integer, got "${value}"`;
  if (form === "boolean" && !/^(true|false)$/i.test(value.trim())) return `expected true or false, got "${value}"`;
  return undefined;
}
