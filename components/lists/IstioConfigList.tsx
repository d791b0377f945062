"use client";

import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useIstioConfig } from "./useMeshLists";

export function IstioConfigList() {
  const config = useIstioConfig();
  if (config.isPending) return <Loading what="Istio config" />;
  if (config.isError && !config.data) return <ErrorBanner title="Istio config could not be listed" error={config.error} onRetry={() => config.refetch()} />;
  const rows = config.data?.objects ?? [];
  return (
    <>
      {config.isError ? <StaleBanner error={config.error} /> : null}
      {rows.length === 0 ? (
        <Empty title="No Istio config in the selected namespaces" />
      ) : (
        <table className="list" aria-label="Istio config">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Namespace</th>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((object) => (
              <tr key={`${object.kind}/${object.namespace}/${object.name}`}>
                <td>{object.kind}</td>
                <td>{object.namespace}</td>
                <td>{object.name}</td>
                <td>{object.createdAt ? new Date(object.createdAt).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
