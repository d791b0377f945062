/**
 * Gateway API objects checked against the OpenAPI schemas of the Gateway API's CRDs, as generated
 * into `@kubernetes-models/gateway-api`. Pure: the demo's API server checks every write of the
 * built-in Gateway API kinds with it, and the console can check an edit before sending it.
 * The models carry the OpenAPI part only (types, enums, patterns, bounds, required fields); the
 * CRDs' CEL rules (`x-kubernetes-validations`) are enforced where the CRDs themselves are installed,
 * and the compiled validators neither report the value at fault nor unknown fields.
 * https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { GatewayClass } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass";
import { GRPCRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ReferenceGrant";
import { TLSRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/TLSRoute";
// The models package has TCPRoute only at v1alpha2; its schema is the one v1 serves (the CRD
// promoted it to v1 without changing the schema).
import { TCPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute";
import { modelSchemaErrors, type IstioModelClass, type SchemaError } from "@/lib/istio/schema";

/** The `kind` fields of the Gateway API kinds the console and the demo know. */
export const GATEWAY_API_OBJECT_KINDS = ["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TLSRoute", "TCPRoute"] as const;
export type GatewayApiObjectKind = (typeof GATEWAY_API_OBJECT_KINDS)[number];

// The model classes differ only in their data type; the check needs nothing but validate().
const GATEWAY_API_MODELS: Readonly<Record<GatewayApiObjectKind, unknown>> = { GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, TLSRoute, TCPRoute };

export function isGatewayApiObjectKind(kind: string): kind is GatewayApiObjectKind {
  return (GATEWAY_API_OBJECT_KINDS as readonly string[]).includes(kind);
}

/**
 * The schema errors of a Gateway API object's body (pass it without metadata, which the API
 * server checks by its own rules); empty when it fits. Paths are JSON pointers into the body.
 */
export function gatewayApiSchemaErrors(kind: GatewayApiObjectKind, body: Record<string, unknown>): SchemaError[] {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = body;
  return modelSchemaErrors(GATEWAY_API_MODELS[kind] as IstioModelClass, rest);
}
