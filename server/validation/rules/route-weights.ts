import { FindingSink, type Rule } from "../rule";

/**
 * The weights of one route split its traffic; they are meant to add up to 100
 * (https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination).
 * A single destination without a weight takes everything; several without weights are a mistake.
 */
export const routeWeightsRule: Rule = {
  id: "route-weights",
  description: "Route weights add up to 100.",
  reads: ["VirtualService"],
  codes: ["MC1001"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      for (const kind of ["http", "tcp", "tls"] as const) {
        vs.spec[kind].forEach((route, i) => {
          const entries = route.route;
          const weighted = entries.some((entry) => entry.weight !== undefined);
          if (entries.length <= 1 && (!weighted || entries[0]?.weight === 100)) return;
          if (entries.length === 1 && entries[0]?.weight === 0) {
            sink.report("MC1001", vs, `spec.${kind}[${i}].route`, "The only destination of this route has weight 0.");
            return;
          }
          const total = entries.reduce((sum, entry) => sum + (entry.weight ?? 0), 0);
          if (total === 100 || entries.length <= 1) return;
          const parts = entries.map((entry) => `${entry.destination?.host ?? "?"}${entry.destination?.subset ? `/${entry.destination.subset}` : ""}=${entry.weight ?? "unset"}`);
          sink.report("MC1001", vs, `spec.${kind}[${i}].route`, `Route weights add up to ${total}, not 100 (${parts.join(", ")}).`);
        });
      }
    }
    return sink.findings;
  },
};
