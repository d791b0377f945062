"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { ValidationBadge } from "@/components/validation/ValidationBadge";
import { useValidations } from "@/components/validation/useValidations";
import { DATA_PLANE_LABELS, MESH_ROLE_LABELS, podsWithoutSidecar, type MeshRole, type WorkloadSummary } from "@/lib/mesh";
import { ListHealth } from "./ListHealth";
import { MeshTable } from "./MeshTable";
import { trafficColumns } from "./trafficRow";
import { useTraffic, useWorkloads } from "./useMeshLists";

/** Why the mesh's own workloads are not flagged for a missing sidecar, said beside their role. */
const NO_SIDECAR_NEEDED: Record<Exclude<MeshRole, "application">, string> = {
  "control-plane": "runs without a sidecar by design",
  gateway: "is itself an Envoy proxy",
  waypoint: "is the ambient L7 proxy of the workloads enrolled to it",
};

/** A label the mesh's own workloads need not carry is not flagged on them. */
function LabelOrMissing({ value, label, meshRole }: { value: string | null; label: string; meshRole: MeshRole }) {
  if (value) return <span>{value}</span>;
  return meshRole === "application" ? <span className="label label-missing">no {label} label</span> : <span className="muted">none needed</span>;
}

function SidecarCell({ workload }: { workload: WorkloadSummary }) {
  const proxies = workload.proxyVersions.length ? ` (${workload.proxyVersions.join(", ")})` : "";
  if (workload.meshRole !== "application") {
    return (
      <span data-mesh-role={workload.meshRole}>
        <span className="label">{MESH_ROLE_LABELS[workload.meshRole]}</span> {NO_SIDECAR_NEEDED[workload.meshRole]}
        {proxies}
      </span>
    );
  }
  if (workload.dataPlane === "ambient" || workload.dataPlane === "ambient-waypoint") {
    // Ambient pods have no sidecar by design: ztunnel carries their traffic, and a waypoint its L7.
    return (
      <span data-data-plane={workload.dataPlane}>
        <span className="label">{DATA_PLANE_LABELS[workload.dataPlane]}</span>
        {workload.waypoint ? ` ${workload.waypoint.namespace === workload.namespace ? workload.waypoint.name : `${workload.waypoint.namespace}/${workload.waypoint.name}`}` : null}
      </span>
    );
  }
  if (workload.podCount === 0) return <span className="muted">no pods</span>;
  const missing = podsWithoutSidecar(workload);
  if (missing === 0) return <span data-data-plane="sidecar">sidecar{proxies}</span>;
  return (
    <span className="label label-missing" data-data-plane={workload.dataPlane ?? "none"}>
      {missing} of {workload.podCount} pods without sidecar or ambient
    </span>
  );
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
      <ListHealth judged="workload" traffic={traffic.data} />
      <MeshTable
        label="Workloads"
        rows={rows}
        trafficKnown={trafficKnown}
        nameCell={(row) => <Link href={`/workloads/${row.namespace}/${row.name}`}>{row.name}</Link>}
        extraColumns={[
          { header: "App", cell: (row) => <LabelOrMissing value={row.app} label="app" meshRole={row.meshRole} /> },
          { header: "Version", cell: (row) => <LabelOrMissing value={row.version} label="version" meshRole={row.meshRole} /> },
          { header: "Data plane", cell: (row) => <SidecarCell workload={row} /> },
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
