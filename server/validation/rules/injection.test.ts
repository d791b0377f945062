import { describeRule } from "../test-support";
import { injectionRule } from "./injection";

function namespace(name: string, labels: string): string {
  return `
---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { ${labels} } }
`;
}

function pod(name: string, ns: string, containers: string, extra = ""): string {
  return `
---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}${extra} }
spec: { containers: [${containers}] }
`;
}

describeRule(injectionRule, [
  {
    name: "namespaces: unlabelled (info), conflicting labels (warning); labelled ones pass",
    yaml: namespace("plain", "") + namespace("both", '"istio-injection": enabled, "istio.io/rev": canary') + namespace("on", '"istio-injection": enabled') + namespace("off", '"istio-injection": disabled'),
    findings: ["IST0123 Namespace both metadata.labels", "IST0102 Namespace plain metadata.labels"],
  },
  {
    name: "pods without the proxy in an injected namespace, unless they opt out",
    yaml:
      namespace("shop", '"istio-injection": enabled') +
      pod("with-proxy", "shop", "{ name: app }, { name: istio-proxy }") +
      pod("without-proxy", "shop", "{ name: app }") +
      pod("opted-out", "shop", "{ name: app }", ', annotations: { sidecar.istio.io/inject: "false" }'),
    findings: ["IST0103 Pod shop/without-proxy spec.containers"],
  },
  {
    name: "the injector's enableNamespacesByDefault turns the unlabelled-namespace note into IST0148",
    yaml:
      namespace("plain", "") +
      `
---
apiVersion: v1
kind: ConfigMap
metadata: { name: istio-sidecar-injector, namespace: istio-system }
data: { values: '{"sidecarInjectorWebhook":{"enableNamespacesByDefault":true}}' }
`,
    findings: ["IST0148 Namespace plain metadata.labels"],
  },
]);
