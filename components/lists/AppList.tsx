"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { ListHealth } from "./ListHealth";
import { MeshTable } from "./MeshTable";
import { trafficColumns } from "./trafficRow";
import { useApps, useTraffic } from "./useMeshLists";

export function AppList() {
  const apps = useApps();
  const { query: traffic, byKey } = useTraffic("app");
  if (apps.isPending) return <Loading what="applications" />;
  if (apps.isError && !apps.data) return <ErrorBanner title="Applications could not be listed" error={apps.error} onRetry={() => apps.refetch()} />;
  const items = apps.data?.apps ?? [];
  if (items.length === 0) return <Empty title="No applications in the selected namespaces">Workloads become applications through their app label.</Empty>;

  const trafficKnown = traffic.data !== undefined;
  const rows = items.map((app) => ({ ...app, labels: { app: app.name }, ...trafficColumns(byKey, trafficKnown, app.namespace, app.name) }));
  return (
    <>
      {apps.isError ? <StaleBanner error={apps.error} /> : null}
      {traffic.isError ? <StaleBanner error={traffic.error} /> : null}
      <ListHealth judged="app" traffic={traffic.data} />
      <MeshTable
        label="Applications"
        rows={rows}
        trafficKnown={trafficKnown}
        nameCell={(row) => <Link href={`/apps/${row.namespace}/${row.name}`}>{row.name}</Link>}
        extraColumns={[
          { header: "Versions", cell: (row) => (row.versions.length ? row.versions.join(", ") : <span className="label label-missing">no version label</span>) },
          { header: "Workloads", cell: (row) => row.workloads.join(", ") },
        ]}
      />
    </>
  );
}
