"use client";

import Link from "next/link";
import { Empty, ErrorBanner, Loading, StaleBanner } from "@/components/common/states";
import { useViewState } from "@/components/layout/ViewStateContext";
import { formatObjectRef, type Finding, type Severity } from "@/lib/validation/finding";
import { findingHref } from "./findingIndex";
import { useValidations } from "./useValidations";
import styles from "./validation.module.css";

const GROUPS: { severity: Severity; title: string }[] = [
  { severity: "error", title: "Errors" },
  { severity: "warning", title: "Warnings" },
  { severity: "info", title: "Info" },
];

function FindingItem({ finding }: { finding: Finding }) {
  const href = findingHref(finding);
  const object = formatObjectRef(finding.object);
  return (
    <li data-testid={`finding-${finding.code}-${finding.object.kind}-${finding.object.name}`}>
      <span className={styles.code}>{finding.code}</span>
      <span>{finding.message}</span>
      <span />
      <span className={styles.where}>
        {href ? <Link href={href}>{object}</Link> : object}
        {finding.path ? (
          <>
            {" "}
            at <code>{finding.path}</code>
          </>
        ) : null}
      </span>
    </li>
  );
}

/** Every finding in the selected namespaces, errors first. */
export function IssuesView() {
  const { state } = useViewState();
  const { query } = useValidations();
  if (query.isPending) return <Loading what="findings" />;
  if (query.isError && !query.data) return <ErrorBanner title="Findings could not be computed" error={query.error} onRetry={() => query.refetch()} />;
  const findings = query.data?.findings ?? [];
  const scope = state.namespaces.length ? state.namespaces.join(", ") : "all namespaces";
  return (
    <>
      {query.isError ? <StaleBanner error={query.error} /> : null}
      <p className="list-count" role="status">
        {findings.length} finding{findings.length === 1 ? "" : "s"} in {scope}
        {query.data ? ` · checked ${new Date(query.data.computedAt).toLocaleTimeString()}` : ""}
      </p>
      {findings.length === 0 ? (
        <Empty title={`No misconfigurations found in ${scope}`} />
      ) : (
        GROUPS.map(({ severity, title }) => {
          const group = findings.filter((finding) => finding.severity === severity);
          if (group.length === 0) return null;
          return (
            <section key={severity} className={styles.group} aria-label={title}>
              <h2>
                {title} ({group.length})
              </h2>
              <ul className={styles.issues}>
                {group.map((finding) => (
                  <FindingItem key={`${finding.code}/${finding.object.kind}/${finding.object.namespace}/${finding.object.name}/${finding.path}/${finding.message}`} finding={finding} />
                ))}
              </ul>
            </section>
          );
        })
      )}
    </>
  );
}
