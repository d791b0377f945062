import type { HttpMatch } from "@/lib/istio/virtualService";
import type { VirtualServiceObject } from "../objects";
import { FindingSink, type Rule } from "../rule";
import { canonicalJson } from "../virtual-service";

/**
 * Routes are tried in order and the first match wins
 * (https://istio.io/latest/docs/concepts/traffic-management/#routing-rule-precedence). So a rule
 * after a rule without matches (a catch-all) is never reached, a match equal to an earlier one never
 * fires, and an HTTP URI-prefix match under an earlier, less specific prefix match never fires.
 */

function ruleLabel(name: string | undefined, index: number): string {
  return name ? `"${name}"` : `#${index}`;
}

function withoutName(match: object): object {
  const { name: _name, ...rest } = match as { name?: string };
  return rest;
}

/** `earlier` takes every request `later` would: a shorter URI prefix and no condition `later` lacks. */
function prefixShadows(earlier: HttpMatch, later: HttpMatch): boolean {
  const earlierPrefix = earlier.uri?.prefix;
  const laterPrefix = later.uri?.prefix;
  if (earlierPrefix === undefined || laterPrefix === undefined || !laterPrefix.startsWith(earlierPrefix)) return false;
  const { uri: _a, name: _b, ...earlierRest } = earlier;
  const { uri: _c, name: _d, ...laterRest } = later;
  const laterConditions = laterRest as Record<string, unknown>;
  return Object.entries(earlierRest as Record<string, unknown>).every(([key, value]) => {
    if (value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0)) return true;
    return canonicalJson(laterConditions[key]) === canonicalJson(value);
  });
}

interface RouteShape {
  readonly name?: string;
  readonly match: readonly object[];
}

function checkRoutes(vs: VirtualServiceObject, kind: "http" | "tcp" | "tls", routes: readonly RouteShape[], sink: FindingSink): void {
  const seen = new Map<string, number>();
  let catchAll = -1;
  const earlierHttpMatches: { match: HttpMatch; rule: number }[] = [];
  routes.forEach((route, ruleIndex) => {
    const label = ruleLabel(route.name, ruleIndex);
    if (route.match.length === 0) {
      if (catchAll >= 0) {
        sink.report("IST0130", vs, `spec.${kind}[${ruleIndex}]`, `VirtualService rule ${label} is never used: rule ${ruleLabel(routes[catchAll]?.name, catchAll)} before it has no match and takes every request; only the last rule may omit matches.`);
      }
      catchAll = ruleIndex;
      return;
    }
    let duplicates = 0;
    route.match.forEach((match, matchIndex) => {
      const key = canonicalJson(withoutName(match));
      const earlier = seen.get(key);
      const matchLabel = ruleLabel((match as { name?: string }).name, matchIndex);
      if (earlier !== undefined) {
        duplicates += 1;
        sink.report("IST0131", vs, `spec.${kind}[${ruleIndex}].match[${matchIndex}]`, `Match ${matchLabel} of rule ${label} is never used: rule ${ruleLabel(routes[earlier]?.name, earlier)} has the same match.`);
      } else {
        seen.set(key, ruleIndex);
        if (kind === "http") {
          const shadow = earlierHttpMatches.find((candidate) => prefixShadows(candidate.match, match as HttpMatch));
          if (shadow) {
            sink.report("IST0131", vs, `spec.${kind}[${ruleIndex}].match[${matchIndex}]`, `Match ${matchLabel} of rule ${label} is never used: a broader URI prefix in rule ${ruleLabel(routes[shadow.rule]?.name, shadow.rule)} matches first.`);
          }
        }
      }
      if (kind === "http") earlierHttpMatches.push({ match: match as HttpMatch, rule: ruleIndex });
    });
    if (duplicates === route.match.length) {
      sink.report("IST0130", vs, `spec.${kind}[${ruleIndex}]`, `VirtualService rule ${label} is never used: every match is already taken by earlier rules.`);
    }
  });
}

export const routeMatchesRule: Rule = {
  id: "route-matches",
  description: "Every route rule and match can be reached.",
  reads: ["VirtualService"],
  codes: ["IST0130", "IST0131"],
  istioAnalyzers: ["schema"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      checkRoutes(vs, "http", vs.spec.http, sink);
      checkRoutes(vs, "tcp", vs.spec.tcp, sink);
      checkRoutes(vs, "tls", vs.spec.tls, sink);
    }
    return sink.findings;
  },
};
