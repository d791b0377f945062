/**
 * What the graph API does to a built graph before answering, beyond the shared build: cut it to a
 * node's neighbourhood (lib/graph/neighbourhood.ts) and write it as a file (lib/graph/exportFormats.ts).
 * Parameters are checked here so a bad value is a 400 that names it.
 */
import { z } from "zod";
import { graphToDot, exportFileName, GRAPH_EXPORT_FORMATS, type GraphExportFormat } from "@/lib/graph/exportFormats";
import type { GraphResponse } from "@/lib/graph/model";
import { MAX_NEIGHBOURHOOD_DEPTH, nodeNeighbourhood } from "@/lib/graph/neighbourhood";
import { BadRequestError } from "@/server/http/errors";

export interface GraphViewRequest {
  /** The node the graph is centred on (a graph node id), with the depth followed each way. */
  centre?: { nodeId: string; depth: number };
  format?: GraphExportFormat;
}

// Node ids are `kind~namespace~name~version` (lib/graph/model.ts nodeId): Kubernetes names, host names or `unknown`.
const nodeIdSchema = z.string().max(600).regex(/^[A-Za-z]+~[a-z0-9.-]*~[A-Za-z0-9._*:-]+~[A-Za-z0-9._-]*$/, "expected a graph node id such as service~bookinfo~reviews~");

const viewParamsSchema = z.object({
  node: nodeIdSchema.optional(),
  depth: z.coerce.number().int().min(1).max(MAX_NEIGHBOURHOOD_DEPTH).default(1),
  format: z.enum(GRAPH_EXPORT_FORMATS).optional(),
});

export function parseGraphViewRequest(url: URL): GraphViewRequest {
  const raw: Record<string, string> = {};
  for (const key of ["node", "depth", "format"]) {
    const value = url.searchParams.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = viewParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`${issue?.path.join(".") ?? "parameters"}: ${issue?.message ?? "invalid"}${issue?.path[0] === "depth" ? ` (1 to ${MAX_NEIGHBOURHOOD_DEPTH})` : ""}`);
  }
  if (raw.depth !== undefined && parsed.data.node === undefined) throw new BadRequestError("depth: only means something with node=, the node the graph is centred on");
  return { ...(parsed.data.node ? { centre: { nodeId: parsed.data.node, depth: parsed.data.depth } } : {}), ...(parsed.data.format ? { format: parsed.data.format } : {}) };
}

export function needsView(view: GraphViewRequest): boolean {
  return view.centre !== undefined || view.format !== undefined;
}

/** The answer for a view: JSON (inline or as a file) or DOT. */
export function graphViewResponse(body: Uint8Array, view: GraphViewRequest): Response {
  // The shared build's own bytes: the console's output, already checked when it was built.
  let graph = JSON.parse(new TextDecoder().decode(body)) as GraphResponse;
  if (view.centre) graph = nodeNeighbourhood(graph, view.centre.nodeId, view.centre.depth);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (view.format === "dot") {
    return new Response(graphToDot(graph), { headers: { ...headers, "content-type": "text/vnd.graphviz; charset=utf-8", "content-disposition": `attachment; filename="${exportFileName(graph, "dot")}"` } });
  }
  if (view.format === "json") headers["content-disposition"] = `attachment; filename="${exportFileName(graph, "json")}"`;
  return new Response(JSON.stringify(graph), { headers: { ...headers, "content-type": "application/json" } });
}
