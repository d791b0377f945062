import { z } from "zod";
import { objectNameSchema } from "@/lib/kubeNames";
import { assertNamespaceAccess } from "@/server/auth/namespaceAccess";
import { getConfig } from "@/server/config";
import { kube } from "@/server/kube";
import { deleteIstioObject, replaceIstioObject } from "@/server/kube/writes";
import { apiRoute } from "@/server/http/apiRoute";
import { jsonBody, mutationRoute } from "@/server/http/mutations";
import { configTargetSchema, readIstioObject } from "@/server/mesh/istioObject";

export const dynamic = "force-dynamic";

/** `_cluster` in the namespace's place addresses a cluster-scoped kind (GatewayClass); it comes out as namespace "". */
const paramsSchema = z.object({ namespace: z.string(), kind: z.string(), name: objectNameSchema }).transform((params, context) => {
  const target = configTargetSchema.safeParse(params);
  if (!target.success) {
    for (const issue of target.error.issues) context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return { ...target.data, name: params.name };
});
const resourceVersionSchema = z.string().min(1, "resourceVersion is required: the version the object was read at").max(64);
const replaceSchema = z.object({ yaml: z.string(), resourceVersion: resourceVersionSchema });
type Context = { params: Promise<Record<string, string>> };

const ROUTE = "/api/istio-config/[namespace]/[kind]/[name]";

export const GET = apiRoute(ROUTE, async (_request, context: Context) => {
  const params = paramsSchema.parse(await context.params);
  // Read with the person's own token too; the check gives the same answer as every other read.
  // A cluster-scoped object has no namespace to check; the person's own token decides whether it may be read.
  if (params.namespace) await assertNamespaceAccess(params.namespace);
  return Response.json({ object: await readIstioObject(params.kind, params.namespace, params.name) });
});

/** Replace with `{yaml, resourceVersion}`; `?dryRun=true` only checks (schema + API server dry run). */
export const PUT = mutationRoute(ROUTE, async (request, context: Context) => {
  const ref = paramsSchema.parse(await context.params);
  const body = await jsonBody(request, replaceSchema);
  const dryRun = new URL(request.url).searchParams.get("dryRun") === "true";
  const result = await replaceIstioObject({ clients: kube(), viewOnly: getConfig().viewOnly }, ref, body.yaml, body.resourceVersion, { dryRun });
  return Response.json(result);
});

/** `?resourceVersion=` is required: a delete applies only to the version the person saw. */
export const DELETE = mutationRoute(ROUTE, async (request, context: Context) => {
  const ref = paramsSchema.parse(await context.params);
  const resourceVersion = resourceVersionSchema.parse(new URL(request.url).searchParams.get("resourceVersion") ?? "");
  await deleteIstioObject({ clients: kube(), viewOnly: getConfig().viewOnly }, ref, resourceVersion);
  return Response.json({ deleted: ref });
});
