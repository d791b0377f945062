/**
 * Work remembered per object. The console's watch caches hand out the same object until
 * Kubernetes changes it (a change brings a new object), and a graph refresh at scale would
 * otherwise summarize or parse every pod, Deployment and routing object in view again each time
 * (bench/graph-refresh.bench.ts). What is remembered is shared by every caller, so none may change it.
 */
import type { z } from "zod";

/** `compute`, worked out once per object and then answered from memory while the object lives. */
export function rememberedPerObject<K extends object, T>(compute: (value: K) => T): (value: K) => T {
  const results = new WeakMap<K, T>();
  return (value) => {
    if (results.has(value)) return results.get(value) as T;
    const result = compute(value);
    results.set(value, result);
    return result;
  };
}

/** zod's safeParse, remembered per object; values that are not objects are parsed each time. */
export function onceParsed<T>(schema: z.ZodType<T>): (value: unknown) => z.ZodSafeParseResult<T> {
  const parseObject = rememberedPerObject((value: object) => schema.safeParse(value));
  return (value) => (typeof value === "object" && value !== null ? parseObject(value) : schema.safeParse(value));
}
