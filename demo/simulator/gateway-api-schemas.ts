/**
 * The Gateway API objects the simulator reads, checked at the boundary with the validators of
 * @kubernetes-models/gateway-api (the specification's OpenAPI schemas), so an object from an
 * emulator started without the CRDs is held to the same shape. The check runs once per
 * resourceVersion; kube-source re-reads objects on every change.
 */
import { z } from "zod";
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { GatewayClass } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass";
import { GRPCRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ReferenceGrant";
import type { IGateway, IGatewayClass, IGRPCRoute, IHTTPRoute, IReferenceGrant, IRouteParentStatus, IGatewayStatus } from "@/lib/gatewayApi/types";

interface Validating {
  validate(): void;
}

const metadataSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.union([z.string(), z.date()]).optional(),
});

const verdicts = new Map<string, string | null>();

/** A zod schema that checks an object with the model's validator and hands back the model's type. */
function modelSchema<T>(kind: string, construct: (raw: Record<string, unknown>) => Validating) {
  return z.looseObject({ metadata: metadataSchema }).transform((raw, context): T => {
    const key = `${kind}/${raw.metadata.namespace ?? ""}/${raw.metadata.name}@${raw.metadata.resourceVersion ?? ""}`;
    let problem = verdicts.get(key);
    if (problem === undefined) {
      // The status is not part of what the schema check is for, and a controller may write fields a model predates.
      const { status: _status, ...withoutStatus } = raw as Record<string, unknown>;
      const metadata = { ...raw.metadata, creationTimestamp: undefined };
      try {
        construct({ ...withoutStatus, metadata }).validate();
        problem = null;
      } catch (error) {
        problem = (error as Error).message;
      }
      if (verdicts.size > 10_000) verdicts.clear();
      verdicts.set(key, problem);
    }
    if (problem !== null) {
      context.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return raw as unknown as T;
  });
}

export type GatewayObject = IGateway & { status?: IGatewayStatus };
export type HTTPRouteObject = IHTTPRoute & { status?: { parents?: IRouteParentStatus[] } };
export type GRPCRouteObject = IGRPCRoute & { status?: { parents?: IRouteParentStatus[] } };

export const gatewaySchema = modelSchema<GatewayObject>("Gateway", (raw) => new Gateway(raw as never));
export const gatewayClassSchema = modelSchema<IGatewayClass>("GatewayClass", (raw) => new GatewayClass(raw as never));
export const httpRouteSchema = modelSchema<HTTPRouteObject>("HTTPRoute", (raw) => new HTTPRoute(raw as never));
export const grpcRouteSchema = modelSchema<GRPCRouteObject>("GRPCRoute", (raw) => new GRPCRoute(raw as never));
export const referenceGrantSchema = modelSchema<IReferenceGrant>("ReferenceGrant", (raw) => new ReferenceGrant(raw as never));
