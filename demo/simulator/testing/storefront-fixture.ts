/**
 * The demo's manifests as the simulator reads them: a real manifest (the storefront,
 * demo/manifests/50-storefront.yaml, by default) parsed with the simulator's own schemas, plus the
 * gateways and waypoints istiod deploys for its Gateways.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { gatewayClassSchema, gatewaySchema, grpcRouteSchema, httpRouteSchema, referenceGrantSchema } from "../gateway-api-schemas";
import { gatewayManifests } from "../gateway-deployment";
import { buildMeshSnapshot, type MeshObjects, type MeshSnapshot } from "../mesh";
import { deploymentSchema, namespaceSchema, serviceSchema, virtualServiceSchema } from "../mesh-schemas";

const MANIFESTS = path.resolve(import.meta.dirname, "..", "..", "manifests");

export function storefrontObjects(options: { withGatewayDeployment?: boolean; manifest?: string } = {}): MeshObjects {
  const documents = parseAllDocuments(readFileSync(path.join(MANIFESTS, options.manifest ?? "50-storefront.yaml"), "utf8")).map((doc) => doc.toJS() as { kind: string; metadata: Record<string, unknown> });
  // The API server stamps these; routing's tie-breaks read creationTimestamp.
  const stamped = documents.map((doc, index) => ({ ...doc, metadata: { ...doc.metadata, uid: `uid-${index}`, resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z" } }));
  const of = <T>(kind: string, schema: { parse(value: unknown): T }) => stamped.filter((doc) => doc.kind === kind).map((doc) => schema.parse(doc));
  const objects: MeshObjects = {
    namespaces: of("Namespace", namespaceSchema),
    services: of("Service", serviceSchema),
    deployments: of("Deployment", deploymentSchema),
    virtualServices: of("VirtualService", virtualServiceSchema),
    destinationRules: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    gatewayApi: {
      gatewayClasses: of("GatewayClass", gatewayClassSchema),
      gateways: of("Gateway", gatewaySchema),
      httpRoutes: of("HTTPRoute", httpRouteSchema),
      grpcRoutes: of("GRPCRoute", grpcRouteSchema),
      referenceGrants: of("ReferenceGrant", referenceGrantSchema),
    },
  };
  if (options.withGatewayDeployment !== false) {
    for (const gateway of objects.gatewayApi?.gateways ?? []) {
      const manifests = gatewayManifests(gateway);
      objects.deployments.push(deploymentSchema.parse(manifests.deployment));
      objects.services.push(serviceSchema.parse(manifests.service));
    }
  }
  return objects;
}

export function storefrontSnapshot(change: (objects: MeshObjects) => void = () => undefined): MeshSnapshot {
  const objects = storefrontObjects();
  change(objects);
  return buildMeshSnapshot(objects);
}

/** The ambient namespace (demo/manifests/60-ambient.yaml) with its waypoint deployed. */
export function ambientSnapshot(change: (objects: MeshObjects) => void = () => undefined): MeshSnapshot {
  const objects = storefrontObjects({ manifest: "60-ambient.yaml" });
  change(objects);
  return buildMeshSnapshot(objects);
}
