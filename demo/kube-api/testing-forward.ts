/**
 * For tests: a seed document that puts a `mesh-console` Service and Deployment in istio-system
 * whose pods forward (see portforward.ts) to a local port, e.g. a console started by the test.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { FORWARD_TO_ANNOTATION } from "./portforward";

export function forwardedServiceYaml(options: { namespace: string; name: string; port: number; forwardTo?: string; containerPort?: number }): string {
  const labels = { app: options.name };
  const annotations = options.forwardTo ? { [FORWARD_TO_ANNOTATION]: options.forwardTo } : undefined;
  const containerPort = options.containerPort ?? options.port;
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: options.name, namespace: options.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, "sidecar.istio.io/inject": "false" }, ...(annotations ? { annotations } : {}) },
          spec: { containers: [{ name: options.name, image: `${options.name}:test`, ports: [{ name: "http-console", containerPort }] }] },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: options.name, namespace: options.namespace, labels },
      spec: { selector: labels, ports: [{ name: "http-console", port: options.port, targetPort: "http-console" }] },
    },
  ]
    .map((document) => stringify(document))
    .join("---\n");
}

export async function writeForwardedServiceSeed(dir: string, options: Parameters<typeof forwardedServiceYaml>[0]): Promise<string> {
  const file = path.join(dir, `${options.namespace}-${options.name}.yaml`);
  await writeFile(file, forwardedServiceYaml(options));
  return file;
}
