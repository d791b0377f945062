/**
 * zod's safeParse, remembered per object. The console's watch caches hand out the same object
 * until Kubernetes changes it (a change brings a new object), and a graph refresh at scale would
 * otherwise parse every pod, Deployment and routing object in view again each time
 * (bench/graph-refresh.bench.ts). The parsed data is shared by every caller, so none may change it.
 */
import type { z } from "zod";

export function onceParsed<T>(schema: z.ZodType<T>): (value: unknown) => z.ZodSafeParseResult<T> {
  const results = new WeakMap<object, z.ZodSafeParseResult<T>>();
  return (value) => {
    if (typeof value !== "object" || value === null) return schema.safeParse(value);
    let result = results.get(value);
    if (!result) {
      result = schema.safeParse(value);
      results.set(value, result);
    }
    return result;
  };
}
