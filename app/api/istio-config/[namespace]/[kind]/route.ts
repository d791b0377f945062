import { z } from "zod";
import { ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import { namespaceNameSchema } from "@/lib/kubeNames";
import { getConfig } from "@/server/config";
import { kube } from "@/server/kube";
import { createIstioObject } from "@/server/kube/writes";
import { jsonBody, mutationRoute } from "@/server/http/mutations";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({
  namespace: namespaceNameSchema,
  kind: z.enum(ISTIO_KINDS.map((info) => info.kind) as [IstioKind, ...IstioKind[]]),
});

/** Create from `{yaml}`; `?dryRun=true` only checks. */
export const POST = mutationRoute("/api/istio-config/[namespace]/[kind]", async (request, context: { params: Promise<Record<string, string>> }) => {
  const target = paramsSchema.parse(await context.params);
  const body = await jsonBody(request, z.object({ yaml: z.string() }));
  const dryRun = new URL(request.url).searchParams.get("dryRun") === "true";
  const result = await createIstioObject({ clients: kube(), viewOnly: getConfig().viewOnly }, target, body.yaml, { dryRun });
  return Response.json(result, { status: dryRun ? 200 : 201 });
});
