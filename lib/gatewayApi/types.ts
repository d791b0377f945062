/**
 * The Gateway API kinds (group gateway.networking.k8s.io) as TypeScript types, from the maintained
 * models of @kubernetes-models/gateway-api, so every module speaks of the same shapes.
 * Append-only: add the re-exports a module needs.
 * https://gateway-api.sigs.k8s.io/reference/spec/
 */
export type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
export type { IGatewayClass } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass";
export type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
export type { IHTTPRouteSpec } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteSpec";
export type { IHTTPRouteRule } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRule";
export type { IHTTPRouteMatch } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch";
export type { IHTTPRouteFilter } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter";
export type { IHTTPBackendRef } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPBackendRef";
export type { IHTTPHeaderFilter } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPHeaderFilter";
export type { IHTTPPathModifier } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPPathModifier";
export type { IHTTPRouteTimeouts } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteTimeouts";
export type { IGRPCRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute";
export type { IGRPCRouteRule } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteRule";
export type { IGRPCRouteMatch } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteMatch";
export type { IGRPCBackendRef } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCBackendRef";
export type { IParentReference } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ParentReference";
export type { IBackendObjectReference } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/BackendObjectReference";
export type { IReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ReferenceGrant";
export type { IRouteParentStatus } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/RouteParentStatus";
export type { IGatewayStatus } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayStatus";
export type { IListener } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Listener";
export type { IListenerStatus } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ListenerStatus";
export type { IRouteGroupKind } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/RouteGroupKind";
import type { IRouteParentStatus as RouteParentStatusForCondition } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/RouteParentStatus";
/** A `metav1.Condition` as the Gateway API kinds carry it in their status. */
export type ICondition = RouteParentStatusForCondition["conditions"][number];
