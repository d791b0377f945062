/**
 * Bearer-token authentication and a two-role authorization, enough to exercise a console's
 * behaviour for a read-only user. Kubernetes answers 401 when it cannot tell who is calling and
 * 403 when it can but RBAC says no.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file
 *
 * A user may also be limited to some namespaces, as a person bound only by RoleBindings is: every
 * verb works inside those namespaces and nowhere else, and requests at the cluster scope (listing
 * pods in all namespaces, listing namespaces) are refused with 403, because a RoleBinding never
 * grants anything cluster-wide. Reading one's own Namespace object is allowed, as Kubernetes
 * authorizes `namespaces/NAME` against the namespace NAME.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { OidcIdentity, OidcVerifier } from "./oidc";
import type { ResourceType, Verb } from "./resources";

export type Role = "admin" | "viewer";

export interface User {
  name: string;
  token: string;
  role: Role;
  /** When set, the only namespaces the user may touch (see the module comment); empty: none. */
  namespaces?: readonly string[];
  /** Groups the user belongs to (from an OIDC token's groups claim). */
  groups?: readonly string[];
}

const READ_VERBS: ReadonlySet<string> = new Set<Verb>(["get", "list", "watch"]);

/**
 * What an authorizer decides on for a resource request: the attributes Kubernetes derives from
 * the request (or a SubjectAccessReview names). `namespace` is undefined (or empty) at the cluster
 * scope. https://kubernetes.io/docs/reference/access-authn-authz/authorization/#review-your-request-attributes
 */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** Verbs are any string here (SubjectAccessReviews may ask about `*`, `use`, `impersonate`…): a viewer has only the read verbs. */
export function mayPerform(user: User, verb: string): boolean {
  return user.role === "admin" || READ_VERBS.has(verb);
}

/** The role's verbs, then the user's namespaces if limited (see the module comment). */
export function mayAccessResource(user: User, attributes: ResourceAttributes): boolean {
  if (!mayPerform(user, attributes.verb)) return false;
  if (!user.namespaces) return true;
  const scope = attributes.namespace || (attributes.group === "" && attributes.resource === "namespaces" ? attributes.name : undefined);
  return scope !== undefined && user.namespaces.includes(scope);
}

/** For a request the emulator serves: `namespace` is undefined at the cluster scope. */
export function mayAccess(user: User, verb: Verb, type: ResourceType, namespace: string | undefined, name: string | undefined): boolean {
  return mayAccessResource(user, { verb, group: type.group, resource: type.plural, namespace: type.namespaced ? namespace : undefined, name });
}

/**
 * The RBAC binding that stands for the user's role, named as kube-apiserver names the grant in an
 * access review's `reason` (`RBAC: allowed by RoleBinding "name/namespace" of ClusterRole "view" to
 * User "x"`). A limited user is bound in `namespace` by a RoleBinding; others by a ClusterRoleBinding.
 */
export function describeGrant(user: User, namespace: string | undefined): string {
  const clusterRole = user.role === "admin" ? "cluster-admin" : "view";
  const binding = `mesh-console-demo:${user.name}`;
  const source = user.namespaces && namespace ? `RoleBinding "${binding}/${namespace}"` : `ClusterRoleBinding "${binding}"`;
  return `RBAC: allowed by ${source} of ClusterRole "${clusterRole}" to User "${user.name}"`;
}

/** A fresh 32-byte token, so a leftover kubeconfig from an earlier run stops working. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export const tokensFileSchema = z.object({
  users: z
    .array(
      z.object({
        name: z.string().min(1, "users[].name must be a non-empty user name"),
        token: z.string().min(8, "users[].token must be at least 8 characters"),
        role: z.enum(["admin", "viewer"]),
        namespaces: z.array(z.string().min(1, "users[].namespaces[] must be namespace names")).min(1, "users[].namespaces, when set, must list at least one namespace").optional(),
      }),
    )
    .min(1, "users must list at least one user"),
});

export type TokensFile = z.infer<typeof tokensFileSchema>;

/**
 * Reads a tokens file (YAML or JSON):
 *   users:
 *   - { name: admin, token: "...", role: admin }
 *   - { name: viewer, token: "...", role: viewer }
 *   - { name: bookinfo-team, token: "...", role: viewer, namespaces: [bookinfo] }
 */
export async function readTokensFile(path: string): Promise<User[]> {
  const text = await readFile(path, "utf8");
  const parsed = tokensFileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`tokens file ${path}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data.users;
}

export class Authenticator {
  private readonly byToken = new Map<string, User>();

  constructor(
    users: readonly User[],
    /** ID tokens of this issuer, and who their person is allowed to be (impersonation.ts's grantsResolver: by user name and groups). */
    private readonly oidc?: { verifier: OidcVerifier; resolve: (identity: OidcIdentity) => User },
  ) {
    for (const user of users) this.byToken.set(user.token, user);
  }

  /** The user behind an `Authorization: Bearer …` header with a static token, or undefined. */
  authenticate(authorization: string | undefined): User | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    return match?.[1] ? this.byToken.get(match[1]) : undefined;
  }

  /** As authenticate, then an OIDC ID token when the emulator was started with --oidc-issuer-url. */
  async authenticateRequest(authorization: string | undefined): Promise<User | undefined> {
    const known = this.authenticate(authorization);
    if (known || !this.oidc) return known;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    const identity = match?.[1] ? await this.oidc.verifier.verify(match[1]) : undefined;
    if (!identity) return undefined;
    const user = this.oidc.resolve(identity);
    return { ...user, groups: identity.groups };
  }

  /** The first user with a role, for the kubeconfig's contexts. */
  userWithRole(role: Role): User | undefined {
    for (const user of this.byToken.values()) if (user.role === role) return user;
    return undefined;
  }
}

/** Builds the user list: a tokens file wins, then explicit tokens, else random ones. */
export function defaultUsers(tokens: { admin?: string; viewer?: string } = {}): User[] {
  return [
    { name: "admin", token: tokens.admin ?? randomToken(), role: "admin" },
    { name: "viewer", token: tokens.viewer ?? randomToken(), role: "viewer" },
  ];
}
