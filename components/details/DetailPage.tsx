"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorBanner, Loading } from "@/components/common/states";
import { Labels } from "@/components/lists/Labels";
import { fetchJson } from "@/lib/apiClient";
import { queryKeys } from "@/lib/queryKeys";
import { centredGraphHref } from "@/lib/graph/neighbourhood";
import { DATA_PLANE_LABELS, objectDetailsSchema, type ObjectDetails } from "@/lib/mesh";
import { PeersSection, PodsSection, RelatedConfigSection } from "./DetailSections";
import { GatewayRoutesSection } from "./GatewayRoutesSection";
import { ExternalLinks } from "@/components/links/ExternalLinks";
import { SignalPanel } from "./SignalPanel";
import { LogsSection } from "@/components/logs/LogsSection";
import { ProxySyncSection } from "@/components/proxyStatus/ProxySyncSection";
import { TrafficManagementSection } from "@/components/wizards/TrafficManagementSection";
import { RolloutSection } from "@/components/rollouts/RolloutSection";
import { AuthorizationPolicySection } from "@/components/security/AuthorizationPolicySection";
import { ObjectFindings } from "@/components/validation/ObjectFindings";

const KIND_TITLE: Record<ObjectDetails["kind"], string> = { service: "Service", workload: "Workload", app: "Application" };

export function DetailPage({ kind, namespace, name }: { kind: ObjectDetails["kind"]; namespace: string; name: string }) {
  const details = useQuery({
    queryKey: queryKeys.details(kind, namespace, name),
    queryFn: () => fetchJson(`/api/details?${new URLSearchParams({ kind, namespace, name })}`, objectDetailsSchema),
    staleTime: 15_000,
  });

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={`/${kind === "app" ? "apps" : `${kind}s`}?namespaces=${namespace}`}>{KIND_TITLE[kind]}s</Link> / {namespace}
      </nav>
      <h1>
        {KIND_TITLE[kind]} {name}
      </h1>
      <p>
        <Link href={centredGraphHref(kind, namespace, name)}>Graph centred on {name}</Link> (its callers and callees; pick the depth on the graph)
      </p>
      {details.isPending ? <Loading what={`${KIND_TITLE[kind].toLowerCase()} details`} /> : null}
      {details.isError ? <ErrorBanner title={`${KIND_TITLE[kind]} ${namespace}/${name} could not be read`} error={details.error} onRetry={() => details.refetch()} /> : null}
      {details.data ? (
        <dl className="facts">
          <dt>Namespace</dt>
          <dd>{namespace}</dd>
          <dt>Labels</dt>
          <dd>
            <Labels labels={details.data.labels} />
          </dd>
          <dt>Versions</dt>
          <dd>{details.data.versions.length ? details.data.versions.join(", ") : "none labelled"}</dd>
          {details.data.dataPlanes?.length ? (
            <>
              <dt>Data plane</dt>
              <dd data-testid="data-plane">
                {details.data.dataPlanes.map((plane) => DATA_PLANE_LABELS[plane]).join(", ")}
                {details.data.waypoint ? (
                  <>
                    {" "}
                    (waypoint{" "}
                    <Link href={`/istio/${details.data.waypoint.namespace}/K8sGateway/${details.data.waypoint.name}`} className="inline-link">
                      {details.data.waypoint.namespace === namespace ? details.data.waypoint.name : `${details.data.waypoint.namespace}/${details.data.waypoint.name}`}
                    </Link>
                    )
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          {kind !== "workload" ? (
            <>
              <dt>Workloads</dt>
              <dd>
                {details.data.workloads.map((workload) => (
                  <Link key={workload} href={`/workloads/${namespace}/${workload}`} className="inline-link">
                    {workload}
                  </Link>
                ))}
              </dd>
            </>
          ) : null}
          {kind !== "service" ? (
            <>
              <dt>Services</dt>
              <dd>
                {details.data.services.map((service) => (
                  <Link key={service} href={`/services/${namespace}/${service}`} className="inline-link">
                    {service}
                  </Link>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <ExternalLinks target={{ namespace, [kind]: name }} />
      <SignalPanel kind={kind} namespace={namespace} name={name} />
      <PeersSection kind={kind} namespace={namespace} name={name} />
      {kind === "service" ? <TrafficManagementSection namespace={namespace} service={name} /> : null}
      {kind === "service" ? <RolloutSection namespace={namespace} service={name} /> : null}
      {kind === "workload" ? <AuthorizationPolicySection namespace={namespace} workload={name} /> : null}
      {kind === "app" ? null : <ObjectFindings kind={kind === "service" ? "Service" : "Deployment"} namespace={namespace} name={name} title="Findings" />}
      {details.data ? (
        <>
          <RelatedConfigSection details={details.data} />
          {kind === "app" ? null : <GatewayRoutesSection details={details.data} />}
          <PodsSection details={details.data} />
          {kind === "workload" ? <ProxySyncSection namespace={namespace} workload={name} /> : null}
          {kind === "workload" ? <LogsSection namespace={namespace} workload={name} pods={details.data.pods.map((pod) => pod.name)} /> : null}
        </>
      ) : null}
    </>
  );
}
