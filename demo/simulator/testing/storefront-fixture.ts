/**
 * The demo's storefront (demo/manifests/50-storefront.yaml) as the simulator reads it: the real
 * manifest parsed with the simulator's own schemas, plus the gateway istiod deploys for it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { gatewayClassSchema, gatewaySchema, grpcRouteSchema, httpRouteSchema, referenceGrantSchema } from "../gateway-api-schemas";
import { gatewayManifests } from "../gateway-deployment";
import { buildMeshSnapshot, type MeshObjects, type MeshSnapshot } from "../mesh";
import { deploymentSchema, namespaceSchema, serviceSchema, virtualServiceSchema } from "../mesh-schemas";

const MANIFEST = path.resolve(import.meta.dirname, "..", "..", "manifests", "50-storefront.yaml");

export function storefrontObjects(options: { withGatewayDeployment?: boolean } = {}): MeshObjects {
  const documents = parseAllDocuments(readFileSync(MANIFEST, "utf8")).map((doc) => doc.toJS() as { kind: string; metadata: Record<string, unknown> });
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
