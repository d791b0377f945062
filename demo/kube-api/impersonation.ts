/**
 * User impersonation as kube-apiserver does it: a caller sends `Impersonate-User` and any number of
 * `Impersonate-Group` header lines; the caller must be allowed the verb `impersonate` on `users`
 * (named by the user) and on `groups` (named by each group), or the request is refused 403 before
 * anything else; then the request is authorized as the impersonated user with exactly the
 * impersonated groups (plus system:authenticated), and the caller's own permissions no longer count.
 * Groups without a user are refused, as kube-apiserver refuses them. A service account's name
 * (`system:serviceaccount:NS:NAME`) is checked as `impersonate` on `serviceaccounts` in NS.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 *
 * Who the impersonated person is allowed to be is the authorizer's business, passed in as
 * `resolve`; `grantsResolver` gives the emulator's own model: a user listed by name keeps their role
 * and namespaces, and each group listed in `groups` adds its role and namespaces.
 */
import type { IncomingMessage } from "node:http";
import { mayAccessResource, type Role, type User } from "./auth";
import { ApiError } from "./status";

export const SYSTEM_AUTHENTICATED = "system:authenticated";

/** The person a request is made as, after impersonation. */
export interface ImpersonatedSubject {
  name: string;
  groups: string[];
}

/** An RBAC binding of a group, in the emulator's two-role model (as auth.ts's users have). */
export interface GroupGrant {
  group: string;
  role: Role;
  /** When set, the only namespaces the group's members may touch through this grant. */
  namespaces?: readonly string[];
}

/** Every value of a header, one per line the client sent (Node joins repeated lines in `headers`). */
function headerLines(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct?.[name] ?? []).map((value) => value.trim());
}

function impersonationForbidden(caller: User, resource: string, name: string, namespace?: string): ApiError {
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  return new ApiError(403, "Forbidden", `${resource} "${name}" is forbidden: User "${caller.name}" cannot impersonate resource "${resource}" in API group "" ${scope}`, { group: "", kind: resource, name });
}

const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The subject `req` asks to be made as, checked against the caller's `impersonate` permission;
 * undefined when the request asks for no impersonation.
 */
export function impersonatedSubject(caller: User, req: IncomingMessage): ImpersonatedSubject | undefined {
  const users = headerLines(req, "impersonate-user");
  const groups = headerLines(req, "impersonate-group");
  const otherHeaders = Object.keys(req.headers).filter((name) => name.startsWith("impersonate-extra-") || name === "impersonate-uid");
  if (users.length === 0) {
    if (groups.length === 0 && otherHeaders.length === 0) return undefined;
    throw new ApiError(500, "InternalError", `Internal error occurred: requested impersonation of ${groups.length > 0 ? "groups" : otherHeaders.join(", ")} without impersonating a user`);
  }
  if (users.length > 1) throw new ApiError(400, "BadRequest", "only one Impersonate-User header is allowed");
  if (otherHeaders.length > 0) throw new ApiError(400, "BadRequest", `the emulator does not impersonate ${otherHeaders.join(", ")}`);
  const name = users[0] as string;
  const account = SERVICE_ACCOUNT.exec(name);
  if (account) {
    const [, namespace = "", accountName = ""] = account;
    if (!mayAccessResource(caller, { verb: "impersonate", group: "", resource: "serviceaccounts", namespace, name: accountName })) {
      throw impersonationForbidden(caller, "serviceaccounts", accountName, namespace);
    }
  } else if (!mayAccessResource(caller, { verb: "impersonate", group: "", resource: "users", name })) {
    throw impersonationForbidden(caller, "users", name);
  }
  for (const group of groups) {
    if (!mayAccessResource(caller, { verb: "impersonate", group: "", resource: "groups", name: group })) throw impersonationForbidden(caller, "groups", group);
  }
  const withAuthenticated = name === "system:anonymous" || groups.includes(SYSTEM_AUTHENTICATED) ? groups : [...groups, SYSTEM_AUTHENTICATED];
  return { name, groups: withAuthenticated };
}

/**
 * The emulator's authorizer for an impersonated subject: the user's own listing (by name) and the
 * grants of their groups, joined. The two-role model holds one role and one namespace list, so the
 * join is the widest role with the union of namespaces (unlimited when any grant is).
 * Someone with no grant gets a user who may touch no namespace at all.
 */
export function grantsResolver(users: readonly User[], groups: readonly GroupGrant[]): (subject: ImpersonatedSubject) => User {
  return (subject) => {
    const grants: { role: Role; namespaces?: readonly string[] }[] = [
      ...users.filter((user) => user.name === subject.name),
      ...groups.filter((grant) => subject.groups.includes(grant.group)),
    ];
    if (grants.length === 0) return { name: subject.name, token: "", role: "viewer", namespaces: [] };
    const role: Role = grants.some((grant) => grant.role === "admin") ? "admin" : "viewer";
    const unlimited = grants.some((grant) => grant.namespaces === undefined);
    const namespaces = unlimited ? undefined : [...new Set(grants.flatMap((grant) => grant.namespaces ?? []))];
    return { name: subject.name, token: "", role, ...(namespaces ? { namespaces } : {}) };
  };
}

/** The user a request is authorized as: the caller, or whom they impersonate (see the module comment). */
export function actingUser(caller: User | undefined, req: IncomingMessage, resolve: (subject: ImpersonatedSubject) => User): User | undefined {
  if (!caller) return undefined;
  const subject = impersonatedSubject(caller, req);
  return subject ? resolve(subject) : caller;
}
