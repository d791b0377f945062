/**
 * What the wizards open with: the service's subsets, the configured split, the objects' YAML and
 * resourceVersions, the history, and whether this person may write at all.
 *
 * Write access is asked, not tried: a GET must never write, not even a dry run (a dry run is still
 * a write request, admission webhooks see it and audit logs record it). A SelfSubjectAccessReview
 * asks the API server's authorizers whether the caller's own identity may make the write the
 * wizard would make (`update` of the service's VirtualService, or `create` of one when there is
 * none; the same for its HTTPRoute when the Gateway API routes it); POSTing a review stores nothing.
 * https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
 */
import type { RoutingApi, RoutingState } from "@/lib/routing/schemas";
import { kubeCall, KubeError, type KubeClients } from "@/server/kube";
import { VIEW_ONLY_MESSAGE } from "@/server/kube/writes";
import { readServiceAmbient } from "./ambient";
import { yamlOf } from "./apply";
import { CREATED_SUBSETS_ANNOTATION, createdByConsole, listAnnotation, MANAGED_POLICY_ANNOTATION, VIRTUAL_SERVICE, type ServiceRef } from "./istioObjects";
import { readHistory, readPreviousSpec } from "./history";
import { subsetNames } from "./destinationRule";
import { readRoutingContext, type RoutingContext } from "./serviceRouting";
import { configuredWeights, hasConsoleRouting } from "./virtualService";
import { knownSubsets, routingApiOf, type RoutingDeps } from "./wizards";
import { hasConsoleRules } from "./gatewayApiWizards";
import { HTTP_ROUTE } from "./httpRouteObjects";
import { httpRouteWeights, versionServiceName } from "@/lib/routing/httpRoute";

interface WriteAccess {
  canWrite: boolean;
  reason?: string;
}

/** The wizard's refusal, in the words the wizards have always used, with the authorizer's own reason when it gives one. */
function refusal(namespace: string, detail: string, kind: { kinds: string; group: string }): WriteAccess {
  return { canWrite: false, reason: `Your account may not change ${kind.kinds} in ${namespace} (${detail}); the wizards need write access to ${kind.group}` };
}

async function writeAccess(clients: KubeClients, context: RoutingContext, api: RoutingApi): Promise<WriteAccess> {
  const { namespace } = context.ref;
  const kind = api === "gateway-api" ? { ...HTTP_ROUTE, kinds: "HTTPRoutes" } : { ...VIRTUAL_SERVICE, kinds: "VirtualServices" };
  const existing = api === "gateway-api" ? context.httpRoute?.metadata.name : context.virtualService?.metadata.name;
  const verb = existing ? "update" : "create";
  const resourceAttributes = { namespace, verb, group: kind.group, resource: kind.plural, ...(existing ? { name: existing } : {}) };
  try {
    const review = await kubeCall(clients, "check_write_access", `ask whether this account may ${verb} ${kind.kinds} in ${namespace}`, () =>
      clients.authorization.createSelfSubjectAccessReview({ body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes } } }),
    );
    const status = review.status;
    if (status?.allowed) return { canWrite: true };
    const why = status?.reason || status?.evaluationError;
    return refusal(namespace, `Kubernetes RBAC does not allow ${verb} of ${kind.plural}.${kind.group} there${why ? `: ${why}` : ""}`, kind);
  } catch (error) {
    if (error instanceof KubeError && (error.failure === "forbidden" || error.failure === "unauthorized")) {
      return refusal(namespace, `the Kubernetes API answered ${error.httpStatus} to an access review`, kind);
    }
    // Anything else (an API server without the authorization API, a timeout) says nothing about
    // permission: the wizard stays open and the write itself is authorized when it is made.
    return { canWrite: true };
  }
}

export async function routingState(deps: RoutingDeps, ref: ServiceRef): Promise<RoutingState> {
  const context = await readRoutingContext(deps.clients, ref);
  const { virtualService: vs, destinationRule: dr, httpRoute } = context;
  const decision = routingApiOf(deps, context);
  // Ambient facts only add to the wizards: a namespace the person may not read leaves them out.
  const [access, ambient] = await Promise.all([
    deps.viewOnly ? { canWrite: false, reason: VIEW_ONLY_MESSAGE } : writeAccess(deps.clients, context, decision.api),
    readServiceAmbient(deps.clients, ref, context.service).catch(() => undefined),
  ]);
  const common = {
    namespace: ref.namespace,
    service: ref.service,
    host: `${ref.service}.${ref.namespace}.svc.cluster.local`,
    api: decision.api,
    defaultApi: deps.defaultRoutingApi ?? "virtualservice",
    apiChoosable: decision.choosable,
    ...(decision.note ? { routingNote: decision.note } : {}),
    virtualService: vs ? { name: vs.metadata.name, resourceVersion: vs.metadata.resourceVersion ?? "", createdByConsole: createdByConsole(vs) } : null,
    destinationRule: dr ? { name: dr.metadata.name, resourceVersion: dr.metadata.resourceVersion ?? "", createdByConsole: createdByConsole(dr) } : null,
    httpRoute: httpRoute ? { name: httpRoute.metadata.name, resourceVersion: httpRoute.metadata.resourceVersion ?? "", generation: httpRoute.metadata.generation ?? null, createdByConsole: createdByConsole(httpRoute) } : null,
    ...access,
    ...(ambient ? { ambient } : {}),
  };
  const versions = new Map(context.versions.map((version) => [version.name, version.workloads]));
  if (decision.api === "gateway-api" && !decision.choosable) {
    const names = knownSubsets(context, "gateway-api");
    return {
      ...common,
      subsets: names.map((name) => ({ name, inDestinationRule: false, workloads: versions.get(name) ?? [], versionService: context.services.has(versionServiceName(ref.service, name)) ? versionServiceName(ref.service, name) : null })),
      weights: httpRouteWeights(httpRoute, ref),
      yaml: { virtualService: yamlOf(vs), destinationRule: yamlOf(dr), httpRoute: yamlOf(httpRoute) },
      history: readHistory(httpRoute),
      rollbackAvailable: readPreviousSpec(httpRoute) !== undefined,
      consoleRouting: hasConsoleRules(httpRoute),
    };
  }
  const inDr = new Set(subsetNames(dr));
  const names = [...new Set([...versions.keys(), ...inDr])];
  return {
    ...common,
    subsets: names.map((name) => ({ name, inDestinationRule: inDr.has(name), workloads: versions.get(name) ?? [] })),
    weights: configuredWeights(vs, ref),
    yaml: { virtualService: yamlOf(vs), destinationRule: yamlOf(dr), httpRoute: yamlOf(httpRoute) },
    history: readHistory(vs),
    rollbackAvailable: readPreviousSpec(vs) !== undefined,
    consoleRouting: hasConsoleRouting(vs) || (!!dr && (createdByConsole(dr) || listAnnotation(dr, CREATED_SUBSETS_ANNOTATION).length > 0 || listAnnotation(dr, MANAGED_POLICY_ANNOTATION).length > 0)),
  };
}
