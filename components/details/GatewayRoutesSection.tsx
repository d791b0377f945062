"use client";

import Link from "next/link";
import { Empty } from "@/components/common/states";
import { kindLabel } from "@/lib/istioKinds";
import type { ObjectDetails } from "@/lib/mesh";

const COLUMNS = ["Kind", "Name", "Why it applies", "Configured weights", "Status"] as const;

/**
 * The Gateway API routes that apply to a service or workload (GAMMA routes for its Service,
 * routes sending to it or to its version Services, and the Gateways they attach to), with the
 * configured weights and the conditions the controller reported; a route that is not accepted or
 * whose references do not resolve says so in words.
 */
export function GatewayRoutesSection({ details }: { details: ObjectDetails }) {
  const routes = details.gatewayRoutes;
  return (
    <section>
      <h2>Gateway API routes</h2>
      {routes.length === 0 ? (
        <Empty title="No Gateway API route applies here">No HTTPRoute or GRPCRoute has this service as its parent or backend.</Empty>
      ) : (
        <table className="list" aria-label="Gateway API routes that apply">
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {routes.map((route) => (
              <tr key={`${route.kind}/${route.namespace}/${route.name}`} data-testid={`gateway-route-${route.namespace}-${route.kind}-${route.name}`}>
                <td>{kindLabel(route.kind)}</td>
                <td>
                  <Link href={`/istio/${route.namespace}/${route.kind}/${route.name}`}>
                    {route.namespace}/{route.name}
                  </Link>
                </td>
                <td>
                  {route.reasons.join("; ")}
                  {route.parents.length ? <div className="muted">Parents: {route.parents.join("; ")}</div> : null}
                </td>
                <td>
                  {route.weights.length === 0
                    ? "—"
                    : route.weights.map((weight) => (
                        <div key={`${weight.rule}/${weight.service}`}>
                          {weight.service}: weight {weight.weight} ({weight.percent} %){route.weights.some((other) => other.rule !== weight.rule) ? `, rule ${weight.rule}` : ""}
                        </div>
                      ))}
                </td>
                <td data-testid="gateway-route-status">
                  {route.reported.state === "problem" ? (
                    <span className="label label-missing" role="alert">
                      {route.reported.failing.map((condition) => `${condition.type} ${condition.status}${condition.reason ? ` (${condition.reason})` : ""}${condition.message ? `: ${condition.message}` : ""}`).join("; ")}
                    </span>
                  ) : (
                    route.reported.summary
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
