/**
 * HTTPRoutes as the wizards read them: parsed at the boundary (the fields the wizards use are
 * checked, the rest kept as the API server sent it) into the Gateway API models' type.
 */
import { z } from "zod";
import type { IHTTPRoute } from "@/lib/gatewayApi/types";
import { istioKindInfo } from "@/lib/istioKinds";

export const HTTP_ROUTE = (() => {
  const { group, version, plural } = istioKindInfo("HTTPRoute");
  return { group, version, plural };
})();

export type HttpRouteObject = IHTTPRoute & { metadata: NonNullable<IHTTPRoute["metadata"]> & { name: string; annotations?: Record<string, string> } };

const backendSchema = z.looseObject({ name: z.string(), group: z.string().optional(), kind: z.string().optional(), namespace: z.string().optional(), port: z.number().optional(), weight: z.number().optional() });
const ruleSchema = z.looseObject({
  name: z.string().optional(),
  matches: z.array(z.looseObject({})).optional(),
  backendRefs: z.array(backendSchema).optional(),
  filters: z.array(z.looseObject({ type: z.string() })).optional(),
});

export const httpRouteSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal("HTTPRoute"),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional(), resourceVersion: z.string().optional(), generation: z.number().optional(), annotations: z.record(z.string(), z.string()).optional(), labels: z.record(z.string(), z.string()).optional() }),
  spec: z.looseObject({
    parentRefs: z.array(z.looseObject({ name: z.string(), group: z.string().optional(), kind: z.string().optional(), namespace: z.string().optional(), port: z.number().optional() })).optional(),
    rules: z.array(ruleSchema).optional(),
  }),
});

/** The routes of a list answer that parse; others are not the wizards' to change. */
export function parseHttpRoutes(items: readonly unknown[]): HttpRouteObject[] {
  return items.flatMap((item) => {
    const parsed = httpRouteSchema.safeParse(item);
    // The schema checked the fields the wizards read; the models' type describes the whole object.
    return parsed.success ? [parsed.data as unknown as HttpRouteObject] : [];
  });
}
