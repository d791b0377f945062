import type { Severity } from "./finding";

/**
 * Every code the validation engine can emit. Where `istioctl analyze` has a message for the same
 * problem we use its code, name and level (https://istio.io/latest/docs/reference/config/analysis/);
 * checks of our own live in the MC1xxx range.
 */
export interface CatalogueEntry {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
}

const entries = [
  // Istio's codes (levels follow Istio: Error → error, Warning → warning, Info → info).
  { code: "IST0002", name: "Deprecated", severity: "warning", description: "A deprecated field is used; it may be ignored or removed." },
  { code: "IST0101", name: "ReferencedResourceNotFound", severity: "error", description: "A referenced host, subset, gateway, selector or namespace does not exist." },
  { code: "IST0102", name: "NamespaceNotInjected", severity: "info", description: "The namespace is not labelled for sidecar injection." },
  { code: "IST0103", name: "PodMissingProxy", severity: "warning", description: "A pod in an injected namespace runs without the Istio proxy." },
  { code: "IST0106", name: "SchemaValidationError", severity: "error", description: "The object does not match the schema of its kind." },
  { code: "IST0107", name: "MisplacedAnnotation", severity: "warning", description: "An Istio annotation is set on a kind it does not apply to." },
  { code: "IST0108", name: "UnknownAnnotation", severity: "warning", description: "An annotation in an Istio domain is not one Istio knows." },
  { code: "IST0109", name: "ConflictingMeshGatewayVirtualServiceHosts", severity: "error", description: "Several VirtualServices bound to the mesh define the same host." },
  { code: "IST0110", name: "ConflictingSidecarWorkloadSelectors", severity: "error", description: "Several Sidecars select the same workload." },
  { code: "IST0111", name: "MultipleSidecarsWithoutWorkloadSelectors", severity: "error", description: "Several Sidecars in one namespace have no workload selector." },
  { code: "IST0112", name: "VirtualServiceDestinationPortSelectorRequired", severity: "error", description: "A route to a multi-port service does not name the port." },
  { code: "IST0116", name: "DeploymentAssociatedToMultipleServices", severity: "warning", description: "Services selecting one deployment use the same port with different protocols." },
  { code: "IST0118", name: "PortNameIsNotUnderNamingConvention", severity: "info", description: "A Service port has neither a protocol-prefixed name nor an appProtocol." },
  { code: "IST0123", name: "NamespaceMultipleInjectionLabels", severity: "warning", description: "A namespace carries more than one kind of injection label." },
  { code: "IST0125", name: "InvalidAnnotation", severity: "warning", description: "An Istio annotation has a value of the wrong form." },
  { code: "IST0127", name: "NoMatchingWorkloadsFound", severity: "warning", description: "A policy selects no workload." },
  { code: "IST0128", name: "NoServerCertificateVerificationDestinationLevel", severity: "warning", description: "Originating TLS without caCertificates: the server identity is not verified." },
  { code: "IST0129", name: "NoServerCertificateVerificationPortLevel", severity: "warning", description: "Port-level TLS without caCertificates: the server identity is not verified." },
  { code: "IST0130", name: "VirtualServiceUnreachableRule", severity: "warning", description: "A route rule can never be reached." },
  { code: "IST0131", name: "VirtualServiceIneffectiveMatch", severity: "info", description: "A match is shadowed by an earlier identical or broader match." },
  { code: "IST0132", name: "VirtualServiceHostNotFoundInGateway", severity: "warning", description: "None of the VirtualService hosts is served by a Gateway it binds to." },
  { code: "IST0134", name: "ServiceEntryAddressesRequired", severity: "warning", description: "A TCP (or protocol-less) ServiceEntry port needs addresses." },
  { code: "IST0135", name: "DeprecatedAnnotation", severity: "info", description: "An Istio annotation is deprecated." },
  { code: "IST0137", name: "DeploymentConflictingPorts", severity: "warning", description: "Services selecting one deployment map different ports to the same targetPort." },
  { code: "IST0140", name: "IngressRouteRulesNotAffected", severity: "warning", description: "Subset routing of a mesh VirtualService does not apply to requests from an ingress gateway." },
  { code: "IST0144", name: "InvalidApplicationUID", severity: "warning", description: "An application container runs as UID 1337, which is reserved for the proxy." },
  { code: "IST0145", name: "ConflictingGateways", severity: "error", description: "Gateways on the same workload and port declare overlapping hosts." },
  { code: "IST0148", name: "NamespaceInjectionEnabledByDefault", severity: "info", description: "The namespace is injected because injection is enabled for namespaces by default." },
  { code: "IST0149", name: "JwtClaimBasedRoutingWithoutRequestAuthN", severity: "error", description: "Routing on JWT claims at a gateway no RequestAuthentication applies to." },
  { code: "IST0150", name: "ExternalNameServiceTypeInvalidPortName", severity: "warning", description: "An ExternalName Service port name has no usable protocol." },
  { code: "IST0162", name: "GatewayPortNotDefinedOnService", severity: "warning", description: "A Gateway listens on a port its workload's Services do not expose." },
  { code: "IST0165", name: "ReferencedInternalGateway", severity: "warning", description: "A VirtualService references a Gateway generated by Istio for a Kubernetes Gateway." },
  { code: "IST0166", name: "IneffectiveSelector", severity: "warning", description: "A policy selects a Kubernetes Gateway's pods by label, which has no effect; use targetRefs." },
  { code: "IST0167", name: "IneffectivePolicy", severity: "warning", description: "A policy has no effect where it is applied." },
  { code: "IST0171", name: "NegativeConditionStatus", severity: "warning", description: "A controller reports a negative status condition (not accepted, references not resolved, not programmed)." },
  { code: "IST0173", name: "DestinationRuleSubsetNotSelectPods", severity: "error", description: "A DestinationRule subset selects no pod of its host." },
  { code: "IST0174", name: "UnknownDestinationRuleHost", severity: "warning", description: "A DestinationRule host matches no Service or ServiceEntry." },
  { code: "IST0177", name: "ConflictingServiceEntryProtocol", severity: "warning", description: "ServiceEntries define one host and port with different protocols." },
  { code: "IST0176", name: "GatewayAPICRDVersionBelowMinimum", severity: "warning", description: "A Gateway API CRD is older than Istio supports; its objects are not processed." },
  // Console checks.
  { code: "MC1001", name: "RouteWeightsNotHundred", severity: "warning", description: "The weights of one route do not add up to 100." },
  { code: "MC1002", name: "DuplicateSubset", severity: "warning", description: "Several DestinationRules for one host define the same subset." },
  { code: "MC1003", name: "DuplicateTrafficPolicy", severity: "warning", description: "Several DestinationRules for one host set a traffic policy; only one is used." },
  { code: "MC1004", name: "DestinationRuleNotApplied", severity: "warning", description: "A DestinationRule lives where no client will ever look it up." },
  { code: "MC1005", name: "MtlsStrictWithTlsDisabled", severity: "error", description: "A DestinationRule disables TLS toward workloads that require mutual TLS." },
  { code: "MC1006", name: "IstioMutualWithoutSidecar", severity: "warning", description: "A DestinationRule sends Istio mutual TLS to workloads without a proxy." },
  { code: "MC1007", name: "WorkloadMissingAppVersionLabels", severity: "warning", description: "A workload lacks the app or version label telemetry and the graph rely on." },
  { code: "MC1008", name: "PrincipalServiceAccountNotFound", severity: "warning", description: "An AuthorizationPolicy principal names a service account that does not exist." },
  { code: "MC1009", name: "BackendPortNotExposed", severity: "error", description: "A Gateway API backendRef names a port its Service does not expose." },
  { code: "MC1010", name: "ReferenceNotPermitted", severity: "error", description: "A cross-namespace reference has no ReferenceGrant in the target namespace allowing it." },
  { code: "MC1011", name: "UnsupportedReferenceKind", severity: "error", description: "A parentRef or backendRef names a kind Istio does not support there." },
  { code: "MC1012", name: "RouteNotAttached", severity: "error", description: "A Gateway API route cannot attach to a parent: no listener with that name, port or hostname allows it." },
  // Ambient data plane (ztunnel for L4, waypoints for L7).
  { code: "MC1013", name: "SidecarAndAmbient", severity: "error", description: "A workload asks for a sidecar and for ambient capture at once; the sidecar wins and ztunnel leaves it alone." },
  { code: "MC1014", name: "WaypointLabelOutsideAmbient", severity: "warning", description: "A waypoint label is set where ambient mode does not read it: outside an ambient namespace or workload, or on something that is not a waypoint." },
  { code: "MC1015", name: "WaypointNotFound", severity: "error", description: "istio.io/use-waypoint names a waypoint that does not exist where it is looked up, or a Gateway that is not a waypoint." },
  { code: "MC1016", name: "WaypointDoesNotServe", severity: "error", description: "The waypoint named by istio.io/use-waypoint does not take this kind of traffic (its istio.io/waypoint-for is service, workload or none)." },
  { code: "MC1017", name: "L7FeatureWithoutWaypoint", severity: "warning", description: "An L7 policy or routing feature applies to ambient workloads no waypoint serves; ztunnel enforces L4 only." },
  { code: "MC1018", name: "WaypointPolicyBySelector", severity: "warning", description: "A policy selects ambient workloads by label where a waypoint enforces L7; waypoints take policies attached by targetRefs (kind Gateway or Service)." },
] as const satisfies readonly CatalogueEntry[];

export type FindingCode = (typeof entries)[number]["code"];

export const catalogue: readonly CatalogueEntry[] = entries;

const byCode = new Map<string, CatalogueEntry>(entries.map((entry) => [entry.code, entry]));

export function catalogueEntry(code: FindingCode): CatalogueEntry {
  const entry = byCode.get(code);
  if (!entry) throw new Error(`validation code ${code} is not in the catalogue`);
  return entry;
}

export function isKnownCode(code: string): code is FindingCode {
  return byCode.has(code);
}
