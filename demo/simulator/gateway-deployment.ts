/**
 * What istiod deploys for a Gateway API Gateway of its class ("automated deployment"): a
 * ServiceAccount, a Deployment running the gateway proxy and a Service, all named
 * `<gateway>-<class>`, labelled `gateway.networking.k8s.io/gateway-name` and owned by the Gateway,
 * so deleting the Gateway deletes them. Pure: the controller (gateway-controller.ts) writes them.
 * https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
import { gatewayServiceName } from "@/lib/gatewayApi/conditions";
import type { IGateway } from "@/lib/gatewayApi/types";
import { GATEWAY_NAME_LABEL } from "./mesh";
import { PROXY_VERSION } from "./istiod";
import { DATAPLANE_MODE_LABEL, WAYPOINT_GATEWAY_CLASS } from "@/lib/istio/ambient";

export interface GatewayManifests {
  serviceAccount: Record<string, unknown>;
  deployment: Record<string, unknown>;
  service: Record<string, unknown>;
}

function ownerReferences(gateway: IGateway): Array<Record<string, unknown>> {
  const uid = gateway.metadata?.uid;
  if (!uid) return [];
  return [{ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: gateway.metadata?.name, uid, controller: true, blockOwnerDeletion: true }];
}

/** The objects for one Gateway; ports are the listeners' distinct ports, named `<protocol>-<port>`. */
export function gatewayManifests(gateway: IGateway): GatewayManifests {
  const gatewayName = gateway.metadata?.name ?? "";
  const namespace = gateway.metadata?.namespace ?? "default";
  const name = gatewayServiceName(gateway);
  const selector = { [GATEWAY_NAME_LABEL]: gatewayName };
  const className = gateway.spec.gatewayClassName;
  // A waypoint is a mesh proxy: istiod marks it managed by its mesh controller, serves it on a
  // ClusterIP Service and never captures it into ambient itself.
  const waypoint = className === WAYPOINT_GATEWAY_CLASS;
  const labels = {
    ...selector,
    "gateway.networking.k8s.io/gateway-class-name": className,
    "gateway.istio.io/managed": waypoint ? "istio.io-mesh-controller" : "istio.io-gateway-controller",
  };
  const metadata = { name, namespace, labels, ownerReferences: ownerReferences(gateway) };
  const seen = new Set<number>();
  const ports = gateway.spec.listeners.flatMap((listener) => {
    if (seen.has(listener.port)) return [];
    seen.add(listener.port);
    return [{ name: `${listener.protocol.toLowerCase()}-${listener.port}`, port: listener.port, protocol: listener.protocol === "UDP" ? "UDP" : "TCP" }];
  });
  return {
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata },
    service: { apiVersion: "v1", kind: "Service", metadata, spec: { type: waypoint ? "ClusterIP" : "LoadBalancer", selector, ports } },
    deployment: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            // The gateway is its own proxy: no sidecar; its canonical name is the deployment's, as istiod labels it.
            labels: {
              ...labels,
              "istio.io/gateway-name": gatewayName,
              ...(waypoint ? { [DATAPLANE_MODE_LABEL]: "none" } : {}),
              "sidecar.istio.io/inject": "false",
              "service.istio.io/canonical-name": name,
              "service.istio.io/canonical-revision": "latest",
            },
          },
          spec: {
            serviceAccountName: name,
            containers: [{ name: "istio-proxy", image: `docker.io/istio/proxyv2:${PROXY_VERSION}`, ports: ports.map((p) => ({ containerPort: p.port })) }],
          },
        },
      },
    },
  };
}
