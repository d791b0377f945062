import { describeRule } from "../test-support";
import { routeMatchesRule } from "./route-matches";

function vs(name: string, body: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: web }
spec:
  hosts: [web]
${body}
---`;
}

describeRule(routeMatchesRule, [
  {
    name: "a rule after a catch-all rule is never reached",
    yaml: vs("catch-all", "  http:\n  - route: [{ destination: { host: web, subset: v1 } }]\n  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: web, subset: v2 } }]\n  - route: [{ destination: { host: web, subset: v3 } }]"),
    findings: ["IST0130 VirtualService web/catch-all spec.http[2]"],
  },
  {
    name: "a duplicated match is ineffective and a rule of only duplicates is unreachable (names ignored)",
    yaml: vs(
      "dup",
      "  http:\n  - match: [{ name: first, uri: { prefix: /api } }]\n    route: [{ destination: { host: a } }]\n  - match: [{ uri: { prefix: /api } }]\n    route: [{ destination: { host: b } }]\n  - match: [{ uri: { prefix: /api } }, { uri: { prefix: /other } }]\n    route: [{ destination: { host: c } }]",
    ),
    findings: ["IST0130 VirtualService web/dup spec.http[1]", "IST0131 VirtualService web/dup spec.http[1].match[0]", "IST0131 VirtualService web/dup spec.http[2].match[0]"],
  },
  {
    name: "a longer prefix under a broader earlier prefix is shadowed unless it adds nothing the earlier lacks",
    yaml: vs(
      "prefixes",
      "  http:\n  - match: [{ uri: { prefix: /api }, method: { exact: GET } }]\n    route: [{ destination: { host: a } }]\n  - match: [{ uri: { prefix: /api/v1 }, method: { exact: GET } }, { uri: { prefix: /api/v2 }, method: { exact: POST } }, { uri: { exact: /api } }]\n    route: [{ destination: { host: b } }]",
    ),
    findings: ["IST0131 VirtualService web/prefixes spec.http[1].match[0]"],
  },
  {
    name: "TCP routes: two routes without matches",
    yaml: vs("tcp", "  tcp:\n  - route: [{ destination: { host: a } }]\n  - route: [{ destination: { host: b } }]"),
    findings: ["IST0130 VirtualService web/tcp spec.tcp[1]"],
  },
]);
