"use client";

import { ErrorBanner, Loading } from "@/components/common/states";
import { ValidationBadge } from "./ValidationBadge";
import { useValidations } from "./useValidations";
import styles from "./validation.module.css";

/**
 * The findings on one Service or workload (its Kubernetes object: `Service`, `Deployment`), for
 * its detail page: the labels and pod template a person would change are where ambient enrolment
 * goes wrong, and those have no config page of their own.
 */
export function ObjectFindings({ kind, namespace, name, title }: { kind: "Service" | "Deployment"; namespace: string; name: string; title: string }) {
  const { query, index } = useValidations([namespace]);
  const findings = index.of(kind, namespace, name);
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {query.isPending ? (
        <Loading what="findings" />
      ) : query.isError && !query.data ? (
        <ErrorBanner title="Findings could not be computed" error={query.error} onRetry={() => query.refetch()} />
      ) : findings.length === 0 ? (
        <p className="muted">No findings for this {kind === "Service" ? "Service" : "workload"}.</p>
      ) : (
        <ul className={styles.issues}>
          {findings.map((finding) => (
            <li key={`${finding.code}/${finding.path}/${finding.message}`} data-testid={`object-finding-${finding.code}`}>
              <span>
                <ValidationBadge status={finding.severity} count={1} /> <span className={styles.code}>{finding.code}</span>
              </span>
              <span>
                {finding.message}
                {finding.path ? (
                  <span className={styles.where}>
                    {" "}
                    at <code>{finding.path}</code>
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
