/** What the pod and log endpoints answer (app/api/pods/**). */
import { z } from "zod";
import { podSummarySchema } from "@/lib/mesh";

export const podContainerSchema = z.object({
  name: z.string(),
  /** `sidecar`: Envoy (istio-proxy), as a container or a native sidecar; `init`: runs before the others. */
  role: z.enum(["app", "sidecar", "init"]),
});
export type PodContainer = z.infer<typeof podContainerSchema>;

/** GET /api/pods/{namespace}/{pod} */
export const podDetailsSchema = z.object({
  pod: podSummarySchema.extend({ workload: z.string() }),
  containers: z.array(podContainerSchema),
  /** The container `kubectl logs` would pick: the default-container annotation, else the first app container. */
  defaultContainer: z.string().nullable(),
});
export type PodDetails = z.infer<typeof podDetailsSchema>;

/** GET /api/pods/{namespace}/{pod}/log */
export const podLogSchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  container: z.string(),
  lines: z.array(z.object({ timestamp: z.string().nullable(), text: z.string() })),
  /** The answer stopped at the byte bound (MAX_LOG_BYTES): Kubernetes reads from the oldest asked line, so the newest are missing. */
  cutAtBytes: z.boolean(),
  /** The answer holds as many lines as were asked for, so there may be older ones. */
  atTailLimit: z.boolean(),
});
export type PodLog = z.infer<typeof podLogSchema>;
