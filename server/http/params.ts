/**
 * Query-string parsing shared by the API routes. Names that will end up in a Kubernetes URL or a
 * PromQL query are checked against Kubernetes' own naming rules first.
 */
import { isDns1123Label } from "@/lib/kubeNames";
import { BadRequestError } from "./errors";

const MAX_NAMESPACES = 500;

/** `?namespaces=a,b` → ["a", "b"]; empty means "all namespaces". */
export function namespacesParam(url: URL): string[] {
  const raw = url.searchParams.getAll("namespaces").flatMap((value) => value.split(","));
  const names = [...new Set(raw.map((value) => value.trim()).filter(Boolean))];
  const invalid = names.filter((name) => !isDns1123Label(name));
  if (invalid.length > 0) {
    throw new BadRequestError(`namespaces: ${invalid.map((name) => JSON.stringify(name)).join(", ")} ${invalid.length === 1 ? "is not a" : "are not"} valid namespace name${invalid.length === 1 ? "" : "s"} (DNS-1123 labels)`);
  }
  if (names.length > MAX_NAMESPACES) throw new BadRequestError(`namespaces: at most ${MAX_NAMESPACES} namespaces per request`);
  return names.sort();
}
