/**
 * Istio and Gateway API objects checked against the OpenAPI schemas of their CRDs before they are
 * sent, so the editor can point at the wrong field even when the API server would only say
 * "invalid". The Gateway API's CEL rules are left to the API server's dry run.
 */
import { gatewayApiSchemaErrors, isGatewayApiObjectKind } from "@/lib/gatewayApi/schema";
import { isGatewayApiKind, istioKindInfo, type IstioKind } from "@/lib/istioKinds";
import { fieldPathOf, istioSchemaErrors, type SchemaError } from "@/lib/istio/schema";

export interface FieldProblem {
  /** Kubernetes field path, e.g. `spec.http[0].route[0].weight`. */
  field: string;
  message: string;
}

function problemOf(error: SchemaError): FieldProblem {
  const field = fieldPathOf(error.instancePath);
  if (error.keyword === "required") {
    const missing = String(error.params.missingProperty);
    return { field: field ? `${field}.${missing}` : missing, message: "Required value" };
  }
  if (error.keyword === "type") return { field, message: `must be of type ${String(error.params.type)}` };
  if (error.keyword === "enum") {
    const allowed = (error.params.allowedValues as unknown[] | undefined)?.map((value) => JSON.stringify(value)).join(", ");
    return { field, message: `must be one of ${allowed ?? "the allowed values"}` };
  }
  return { field, message: error.message ?? "is invalid" };
}

/** Problems with the object's body (metadata is the API server's to check); empty when it fits the schema. */
export function checkIstioSchema(kind: IstioKind, object: Record<string, unknown>): FieldProblem[] {
  const { metadata: _metadata, apiVersion: _apiVersion, status: _status, ...body } = object;
  const apiKind = istioKindInfo(kind).apiKind;
  const errors = isGatewayApiKind(kind) ? (isGatewayApiObjectKind(apiKind) ? gatewayApiSchemaErrors(apiKind, body) : []) : istioSchemaErrors(kind, body);
  const problems = errors.map(problemOf);
  return problems.filter((problem, index) => problems.findIndex((other) => other.field === problem.field && other.message === problem.message) === index);
}
