import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { apiRoute } from "@/server/http/apiRoute";
import { objectDetails } from "@/server/mesh/details";

export const dynamic = "force-dynamic";

const querySchema = z.object({ kind: z.enum(["service", "workload", "app"]), namespace: namespaceNameSchema, name: objectNameSchema });

/** GET /api/details?kind=service&namespace=bookinfo&name=reviews */
export const GET = apiRoute("/api/details", async (request) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await objectDetails(query.kind, query.namespace, query.name));
});
