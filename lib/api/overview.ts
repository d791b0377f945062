/** What the overview page's endpoints answer: traffic per namespace and istiod's figures. */
import { z } from "zod";
import { pointSchema } from "@/lib/signals/types";

/** GET /api/namespace-traffic */
export const namespaceTrafficSchema = z.object({ series: z.array(z.object({ namespace: z.string(), points: z.array(pointSchema) })) });

/** GET /api/control-plane; null where Prometheus has no series for the figure. */
export const controlPlaneSchema = z.object({
  connectedProxies: z.number().nullable(),
  pushesPerMinute: z.number().nullable(),
  convergenceP99Seconds: z.number().nullable(),
  rejectsInWindow: z.number().nullable(),
  warnings: z.array(z.string()),
});
