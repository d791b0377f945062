/**
 * How a stored Kubernetes object moved on between two reads. Controllers write an object's status
 * through its `status` subresource (istiod on Gateway API routes after every change of theirs),
 * which gives the object a new resourceVersion without touching what a person edits; an edit begun
 * before such a write is still an edit of the current object.
 */
import { compare } from "fast-json-patch";

/** What a status write changes besides the status: the version and the record of who wrote which field. */
const WRITTEN_WITH_STATUS = ["/status", "/metadata/resourceVersion", "/metadata/managedFields"];

/** Whether `current` differs from `read` only in its status and the bookkeeping a status write brings. */
export function changedOnlyInStatus(read: object, current: object): boolean {
  return compare(read, current).every((operation) => WRITTEN_WITH_STATUS.some((path) => operation.path === path || operation.path.startsWith(`${path}/`)));
}
