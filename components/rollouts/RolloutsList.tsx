"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ColumnHeaders } from "@/components/common/ColumnHeaders";
import { Empty, ErrorBanner, Loading } from "@/components/common/states";
import { apiPath, fetchJson } from "@/lib/apiClient";
import { rolloutListSchema } from "@/lib/rollouts/record";
import { queryKeys } from "@/lib/queryKeys";

const COLUMNS = ["Service", "Namespace", "Status", "Canary", "Step", "Route", "Started", "Latest"];

/** The list across namespaces, with each rollout's status and its latest event; refreshed as the timeline is. */
export function RolloutsList() {
  const rollouts = useQuery({ queryKey: queryKeys.rollouts(), queryFn: () => fetchJson(apiPath("/api/rollouts"), rolloutListSchema), refetchInterval: 5_000 });
  if (rollouts.isPending) return <Loading what="rollouts" />;
  if (rollouts.error) return <ErrorBanner title="Could not list the rollouts" error={rollouts.error} onRetry={() => void rollouts.refetch()} />;
  if (rollouts.data.rollouts.length === 0) {
    return <Empty title="No rollouts">Start one from a service&apos;s Traffic shifting wizard: choose the canary, then &quot;Start rollout…&quot;.</Empty>;
  }
  return (
    <table className="list" aria-label="Rollouts">
      <ColumnHeaders columns={COLUMNS} />
      <tbody>
        {rollouts.data.rollouts.map((rollout) => (
          <tr key={`${rollout.namespace}/${rollout.service}`}>
            <td>
              <Link href={`/services/${encodeURIComponent(rollout.namespace)}/${encodeURIComponent(rollout.service)}`}>{rollout.service}</Link>
            </td>
            <td>{rollout.namespace}</td>
            <td>
              {rollout.phase}
              {rollout.reason ? <div className="muted">{rollout.reason}</div> : null}
            </td>
            <td>
              {rollout.canary} at {rollout.weight} % (stable {rollout.stable})
            </td>
            <td>
              {rollout.stepIndex + 1} of {rollout.steps.length} ({rollout.steps.join(" → ")} %)
            </td>
            <td>
              {rollout.route.kind} {rollout.route.name}
            </td>
            <td>
              <time dateTime={rollout.startedAt}>{new Date(rollout.startedAt).toLocaleString()}</time> by {rollout.startedBy}
            </td>
            <td>{rollout.lastEvent ? rollout.lastEvent.message : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
