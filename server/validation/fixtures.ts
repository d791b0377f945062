/**
 * YAML builders for the rules' table tests: one document each, labels and options written as YAML
 * flow-map entries (`'"istio.io/use-waypoint": waypoint'`). Used by the `*.test.ts` files only.
 */

export function namespaceYaml(name: string, labels = ""): string {
  return `
---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { ${labels} } }
`;
}

/** A Deployment whose pods carry `app: <app>` plus `templateLabels`. */
export function deploymentYaml(name: string, namespace: string, templateLabels = "", options: { app?: string; annotations?: string; containers?: string } = {}): string {
  const app = options.app ?? name;
  return `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app}, ${templateLabels} }, annotations: { ${options.annotations ?? ""} } }
    spec: { containers: [${options.containers ?? `{ name: ${app} }`}] }
`;
}

/** A Service selecting `app: <name>` (or `selector`) with one HTTP port. */
export function serviceYaml(name: string, namespace: string, labels = "", selector = `app: ${name}`): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, labels: { ${labels} } }
spec: { selector: { ${selector} }, ports: [{ name: http, port: 8080 }] }
`;
}

/** A Gateway API Gateway; by default a waypoint (class istio-waypoint, HBONE on 15008). */
export function waypointYaml(name: string, namespace: string, waypointFor?: string, gatewayClass = "istio-waypoint"): string {
  return `
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace}, labels: { ${waypointFor ? `istio.io/waypoint-for: ${waypointFor}` : ""} } }
spec: { gatewayClassName: ${gatewayClass}, listeners: [{ name: mesh, port: 15008, protocol: HBONE }] }
`;
}

/** An AuthorizationPolicy whose spec is `body` (YAML lines indented by two spaces). */
export function authorizationPolicyYaml(name: string, namespace: string, body: string): string {
  return `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${body}
`;
}
