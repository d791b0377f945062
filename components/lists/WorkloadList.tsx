"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { ValidationBadge } from "@/components/validation/ValidationBadge";
import { useValidations } from "@/components/validation/useValidations";
import { MeshTable } from "./MeshTable";
import { trafficColumns } from "./trafficRow";
import { useTraffic, useWorkloads } from "./useMeshLists";

function LabelOrMissing({ value, label }: { value: string | null; label: string }) {
  return value ? <span>{value}</span> : <span className="label label-missing">no {label} label</span>;
}

export function WorkloadList() {
  const workloads = useWorkloads();
  const { query: traffic, byKey } = useTraffic("workload");
  const validations = useValidations();
  if (workloads.isPending) return <Loading what="workloads" />;
  if (workloads.isError && !workloads.data) return <ErrorBanner title="Workloads could not be listed" error={workloads.error} onRetry={() => workloads.refetch()} />;
  const items = workloads.data?.workloads ?? [];
  if (items.length === 0) return <Empty title="No workloads in the selected namespaces" />;

  const trafficKnown = traffic.data !== undefined;
  const rows = items.map((workload) => ({ ...workload, ...trafficColumns(byKey, trafficKnown, workload.namespace, workload.name) }));
  return (
    <>
      {workloads.isError ? <StaleBanner error={workloads.error} /> : null}
      {traffic.isError ? <StaleBanner error={traffic.error} /> : null}
      <MeshTable
        label="Workloads"
        rows={rows}
        trafficKnown={trafficKnown}
        nameCell={(row) => <Link href={`/workloads/${row.namespace}/${row.name}`}>{row.name}</Link>}
        extraColumns={[
          { header: "App", cell: (row) => <LabelOrMissing value={row.app} label="app" /> },
          { header: "Version", cell: (row) => <LabelOrMissing value={row.version} label="version" /> },
          {
            header: "Sidecar",
            cell: (row) =>
              row.podCount === 0 ? (
                <span className="muted">no pods</span>
              ) : row.sidecarPods === row.podCount ? (
                <span>
                  yes{row.proxyVersions.length ? ` (${row.proxyVersions.join(", ")})` : ""}
                </span>
              ) : (
                <span className="label label-missing">
                  {row.podCount - row.sidecarPods} of {row.podCount} pods without sidecar
                </span>
              ),
          },
          { header: "Pods ready", cell: (row) => `${row.readyReplicas}/${row.desiredReplicas}` },
          {
            header: "Config",
            cell: (row) => <ValidationBadge status={validations.index.statusOf("Deployment", row.namespace, row.name)} count={validations.index.of("Deployment", row.namespace, row.name).length} loading={!validations.query.data} />,
          },
        ]}
      />
    </>
  );
}
