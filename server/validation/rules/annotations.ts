import { isBookkeeping, isIstioDomain, istioAnnotations, valueProblem, type AnnotatedKind } from "../istio-annotations";
import { FindingSink, type Rule } from "../rule";

/**
 * Istio annotations only act on the kinds they are defined for, with values of the right form;
 * an unknown annotation in an Istio domain is usually a typo
 * (https://istio.io/latest/docs/reference/config/annotations/).
 */

type Annotated = { readonly ref: { kind: string; namespace: string; name: string }; readonly synthetic: boolean; readonly metadata: { readonly annotations: Readonly<Record<string, string>> } };

function checkAnnotations(kind: AnnotatedKind, object: Annotated, sink: FindingSink): void {
  for (const [key, value] of Object.entries(object.metadata.annotations).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = `metadata.annotations["${key}"]`;
    const definition = istioAnnotations.get(key);
    if (!definition) {
      if (isIstioDomain(key) && !isBookkeeping(key)) sink.report("IST0108", object, path, `Unknown annotation: ${key} (Istio defines no annotation of this name; check the spelling).`);
      continue;
    }
    if (definition.deprecated !== undefined) {
      sink.report("IST0135", object, path, `Annotation ${key} is deprecated${definition.deprecated} and may stop working in a future Istio release.`);
    }
    if (!definition.kinds.includes("Any") && !definition.kinds.includes(kind)) {
      sink.report("IST0107", object, path, `Misplaced annotation: ${key} acts only on ${definition.kinds.join(", ")}, not on a ${kind}.`);
      continue;
    }
    const problem = valueProblem(definition.value, value);
    if (problem) sink.report("IST0125", object, path, `Invalid annotation ${key}: ${problem}.`);
  }
}

export const annotationsRule: Rule = {
  id: "annotations",
  description: "Istio annotations are known, well placed and well formed.",
  reads: ["Namespace", "Service", "Pod", "Deployment"],
  codes: ["IST0107", "IST0108", "IST0125", "IST0135"],
  istioAnalyzers: ["annotations.K8sAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const kind of ["Namespace", "Service", "Pod", "Deployment"] as const) {
      for (const object of snapshot.list(kind)) checkAnnotations(kind, object, sink);
    }
    return sink.findings;
  },
};
