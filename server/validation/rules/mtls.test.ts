import { describeRule } from "../test-support";
import { mtlsRule } from "./mtls";

const service = (proxy: boolean) => `
apiVersion: v1
kind: Service
metadata: { name: ratings, namespace: bookinfo }
spec: { selector: { app: ratings }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: ratings-1, namespace: bookinfo, labels: { app: ratings } }
spec: { containers: [{ name: app }${proxy ? ", { name: istio-proxy }" : ""}] }
`;

const rule = (mode: string) => `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings, namespace: bookinfo }
spec: { host: ratings, trafficPolicy: { tls: { mode: ${mode} } } }
`;

const strict = (namespace: string, selector = "") => `
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: strict, namespace: ${namespace} }
spec: { ${selector}mtls: { mode: STRICT } }
`;

describeRule(mtlsRule, [
  { name: "TLS disabled toward a namespace under STRICT mTLS", yaml: service(true) + rule("DISABLE") + strict("bookinfo"), findings: ["MC1005 DestinationRule bookinfo/ratings spec.trafficPolicy.tls.mode"] },
  { name: "mesh-wide STRICT in the root namespace applies too", yaml: service(true) + rule("DISABLE") + strict("istio-system"), findings: ["MC1005 DestinationRule bookinfo/ratings spec.trafficPolicy.tls.mode"] },
  { name: "a STRICT policy for other workloads does not", yaml: service(true) + rule("DISABLE") + strict("bookinfo", "selector: { matchLabels: { app: reviews } }, "), findings: [] },
  { name: "ISTIO_MUTUAL toward pods without a proxy", yaml: service(false) + rule("ISTIO_MUTUAL"), findings: ["MC1006 DestinationRule bookinfo/ratings spec.trafficPolicy.tls.mode"] },
  { name: "ISTIO_MUTUAL toward injected pods is right", yaml: service(true) + rule("ISTIO_MUTUAL"), findings: [] },
]);
