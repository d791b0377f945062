/**
 * Istio's root namespace as installed by default (`rootNamespace` in MeshConfig): mesh-wide
 * policies (PeerAuthentication, AuthorizationPolicy), fallback DestinationRules, the mesh config
 * ConfigMaps and istiod itself live there.
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-root_namespace
 */
export const MESH_ROOT_NAMESPACE = "istio-system";
