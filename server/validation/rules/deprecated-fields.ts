import { FindingSink, type Rule } from "../rule";

/**
 * Fields Istio has deprecated in favour of newer ones; they may already be ignored
 * (https://istio.io/latest/docs/reference/config/networking/virtual-service/,
 * https://istio.io/latest/docs/reference/config/networking/sidecar/).
 */
export const deprecatedFieldsRule: Rule = {
  id: "deprecated-fields",
  description: "No deprecated Istio fields are used.",
  reads: ["VirtualService", "Sidecar"],
  codes: ["IST0002"],
  istioAnalyzers: ["deprecation.FieldAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      vs.spec.http.forEach((route, i) => {
        if (route.fault?.delay?.percent !== undefined) sink.report("IST0002", vs, `spec.http[${i}].fault.delay.percent`, "Deprecated: fault.delay.percent; use fault.delay.percentage.value.");
        if (route.fault?.abort?.percent !== undefined) sink.report("IST0002", vs, `spec.http[${i}].fault.abort.percent`, "Deprecated: fault.abort.percent; use fault.abort.percentage.value.");
        if (route.mirror_percent !== undefined || route.mirrorPercent !== undefined) {
          sink.report("IST0002", vs, `spec.http[${i}].mirrorPercent`, "Deprecated: mirrorPercent; use mirrorPercentage.value.");
        }
        if (route.corsPolicy && route.corsPolicy.allowOrigin.length > 0) sink.report("IST0002", vs, `spec.http[${i}].corsPolicy.allowOrigin`, "Deprecated: corsPolicy.allowOrigin; use corsPolicy.allowOrigins.");
      });
    }
    for (const sidecar of snapshot.list("Sidecar")) {
      if (sidecar.spec.outboundTrafficPolicy?.egressProxy !== undefined) {
        sink.report("IST0002", sidecar, "spec.outboundTrafficPolicy.egressProxy", "Deprecated: outboundTrafficPolicy.egressProxy is ignored by current Istio releases.");
      }
    }
    return sink.findings;
  },
};
