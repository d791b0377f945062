"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { ValidationBadge } from "@/components/validation/ValidationBadge";
import { useValidations } from "@/components/validation/useValidations";
import { ListHealth } from "./ListHealth";
import { MeshTable } from "./MeshTable";
import { trafficColumns } from "./trafficRow";
import { useServices, useTraffic } from "./useMeshLists";

export function ServiceList() {
  const services = useServices();
  const { query: traffic, byKey } = useTraffic("service");
  const validations = useValidations();
  if (services.isPending) return <Loading what="services" />;
  if (services.isError && !services.data) return <ErrorBanner title="Services could not be listed" error={services.error} onRetry={() => services.refetch()} />;
  const items = services.data?.services ?? [];
  if (items.length === 0) return <Empty title="No services in the selected namespaces" />;

  const trafficKnown = traffic.data !== undefined;
  const rows = items.map((service) => ({ ...service, ...trafficColumns(byKey, trafficKnown, service.namespace, service.name) }));
  return (
    <>
      {services.isError ? <StaleBanner error={services.error} /> : null}
      {traffic.isError ? <StaleBanner error={traffic.error} /> : null}
      <ListHealth judged="service" traffic={traffic.data} />
      <MeshTable
        label="Services"
        rows={rows}
        trafficKnown={trafficKnown}
        nameCell={(row) => <Link href={`/services/${row.namespace}/${row.name}`}>{row.name}</Link>}
        extraColumns={[
          {
            header: "Ports",
            cell: (row) =>
              row.ports.map((port) => (
                <span key={port.port} className={port.name || port.appProtocol ? "label" : "label label-missing"} title={port.name || port.appProtocol ? undefined : "No protocol in the port name or appProtocol"}>
                  {port.name ?? "(unnamed)"} {port.port}/{port.protocol}
                </span>
              )),
          },
          {
            header: "Config",
            cell: (row) => <ValidationBadge status={validations.index.statusOf("Service", row.namespace, row.name)} count={validations.index.of("Service", row.namespace, row.name).length} loading={!validations.query.data} />,
          },
        ]}
      />
    </>
  );
}
