/**
 * The Istio Config list's filters, kept in the URL (`?kind=VirtualService&q=cat&status=error`) so a
 * filtered view can be shared: pure, so the same link always shows the same rows.
 */
import { ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import type { ValidationStatus } from "@/components/validation/findingIndex";

export const STATUS_FILTERS = ["error", "warning", "info", "valid"] as const;

export interface ConfigFilters {
  kind: IstioKind | "";
  /** Substring of the name, case-insensitive. */
  text: string;
  status: ValidationStatus | "";
}

export function parseConfigFilters(params: Pick<URLSearchParams, "get">): ConfigFilters {
  const kind = params.get("kind") ?? "";
  const status = params.get("status") ?? "";
  return {
    kind: ISTIO_KINDS.some((info) => info.kind === kind) ? (kind as IstioKind) : "",
    text: (params.get("q") ?? "").slice(0, 100),
    status: (STATUS_FILTERS as readonly string[]).includes(status) ? (status as ValidationStatus) : "",
  };
}

/** Writes the filters into a copy of `params`, dropping empty ones. */
export function writeConfigFilters(params: URLSearchParams, filters: ConfigFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string) => (value ? next.set(name, value) : next.delete(name));
  set("kind", filters.kind);
  set("q", filters.text);
  set("status", filters.status);
  return next;
}

export function filterConfigRows<T extends { kind: string; name: string; status: ValidationStatus | null }>(rows: readonly T[], filters: ConfigFilters): T[] {
  const text = filters.text.toLowerCase();
  return rows.filter(
    (row) => (!filters.kind || row.kind === filters.kind) && (!text || row.name.toLowerCase().includes(text)) && (!filters.status || row.status === filters.status),
  );
}
