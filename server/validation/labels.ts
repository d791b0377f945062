/**
 * Label selection. Kubernetes Service selectors and Istio workload selectors both select by
 * equality on every listed label (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/).
 */

export type Labels = Readonly<Record<string, string>>;

/** True when every label of the selector is on the object with the same value. An empty selector selects everything. */
export function selectorMatches(selector: Labels, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector)) {
    if (labels[key] !== value) return false;
  }
  return true;
}

export function isEmptySelector(selector: Labels | undefined): boolean {
  return !selector || Object.keys(selector).length === 0;
}

/** `app=reviews,version=v1`, sorted, as selectors are usually printed. */
export function formatSelector(selector: Labels): string {
  return Object.keys(selector)
    .sort()
    .map((key) => `${key}=${selector[key]}`)
    .join(",");
}
