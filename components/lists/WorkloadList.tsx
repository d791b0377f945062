"use client";

import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useWorkloads } from "./useMeshLists";

function LabelOrMissing({ value, label }: { value: string | null; label: string }) {
  return value ? <span>{value}</span> : <span className="label label-missing">no {label} label</span>;
}

export function WorkloadList() {
  const workloads = useWorkloads();
  if (workloads.isPending) return <Loading what="workloads" />;
  if (workloads.isError && !workloads.data) return <ErrorBanner title="Workloads could not be listed" error={workloads.error} onRetry={() => workloads.refetch()} />;
  const rows = workloads.data?.workloads ?? [];
  return (
    <>
      {workloads.isError ? <StaleBanner error={workloads.error} /> : null}
      {rows.length === 0 ? (
        <Empty title="No workloads in the selected namespaces" />
      ) : (
        <table className="list" aria-label="Workloads">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">App</th>
              <th scope="col">Version</th>
              <th scope="col">Ready</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((workload) => (
              <tr key={`${workload.namespace}/${workload.name}`}>
                <td>{workload.name}</td>
                <td>{workload.namespace}</td>
                <td>
                  <LabelOrMissing value={workload.app} label="app" />
                </td>
                <td>
                  <LabelOrMissing value={workload.version} label="version" />
                </td>
                <td>
                  {workload.readyReplicas}/{workload.desiredReplicas}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
