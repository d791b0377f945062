import { z } from "zod";
import { namespaceNameSchema, objectNameSchema } from "@/lib/kubeNames";
import { TIME_WINDOWS } from "@/lib/timeWindows";
import { personPrometheus } from "@/server/auth/namespaceAccess";
import { apiRoute } from "@/server/http/apiRoute";
import { BadRequestError } from "@/server/http/errors";
import { prometheus } from "@/server/prometheus";
import { fetchSignals } from "@/server/signals";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  kind: z.enum(["service", "workload", "app"]),
  namespace: namespaceNameSchema,
  name: objectNameSchema,
  direction: z.enum(["inbound", "outbound"]).default("inbound"),
  window: z.enum(TIME_WINDOWS).default("1h"),
  byVersion: z.enum(["true", "false"]).default("false"),
});

/** GET /api/signals?kind=service&namespace=bookinfo&name=reviews&direction=inbound&window=1h&byVersion=true */
export const GET = apiRoute("/api/signals", async (request) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (query.kind === "service" && query.direction === "outbound") {
    throw new BadRequestError("direction: a service sends no traffic of its own; ask for outbound traffic of one of its workloads");
  }
  // Each query is checked, before it is sent, against the namespaces it reads (server/auth/namespaceAccess.ts).
  const signals = await fetchSignals(
    { target: { kind: query.kind, namespace: query.namespace, name: query.name }, direction: query.direction, byVersion: query.byVersion === "true", window: query.window },
    personPrometheus(prometheus()),
  );
  return Response.json(signals);
});
