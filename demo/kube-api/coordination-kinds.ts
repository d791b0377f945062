/**
 * `coordination.k8s.io/v1` Leases, served as kube-apiserver serves them: a built-in kind with no
 * controller behind it. Holder, renew time and duration are plain fields that clients interpret
 * (https://kubernetes.io/docs/concepts/architecture/leases/); what makes leader election safe is the
 * ordinary resourceVersion check on update, which the store applies to every kind (a stale update
 * is answered 409 Conflict).
 */
import type { ResourceType } from "./resources";

export const LEASE_TYPE: ResourceType = {
  group: "coordination.k8s.io",
  versions: ["v1"],
  storageVersion: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  shortNames: [],
  categories: [],
  custom: false,
  // A Lease has no status subresource and no generation: kube-apiserver leaves metadata.generation unset for it.
  tracksGeneration: false,
  statusSubresource: false,
  printerColumns: [
    { name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ],
};
