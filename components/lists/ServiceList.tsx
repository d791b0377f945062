"use client";

import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { Labels } from "./Labels";
import { useServices } from "./useMeshLists";

export function ServiceList() {
  const services = useServices();
  if (services.isPending) return <Loading what="services" />;
  if (services.isError && !services.data) return <ErrorBanner title="Services could not be listed" error={services.error} onRetry={() => services.refetch()} />;
  const rows = services.data?.services ?? [];
  return (
    <>
      {services.isError ? <StaleBanner error={services.error} /> : null}
      {rows.length === 0 ? (
        <Empty title="No services in the selected namespaces" />
      ) : (
        <table className="list" aria-label="Services">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">Ports</th>
              <th scope="col">Selector</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((service) => (
              <tr key={`${service.namespace}/${service.name}`}>
                <td>{service.name}</td>
                <td>{service.namespace}</td>
                <td>{service.ports.map((port) => `${port.name ?? "(unnamed)"} ${port.port}/${port.protocol}`).join(", ")}</td>
                <td>
                  <Labels labels={service.selector} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
