"use client";

import { LogViewer } from "./LogViewer";

/** The "Logs" section of a workload's or pod's page. */
export function LogsSection({ namespace, workload, pods }: { namespace: string; workload: string; pods: readonly string[] }) {
  return (
    <section aria-labelledby="logs-heading">
      <h2 id="logs-heading">Logs</h2>
      <LogViewer namespace={namespace} workload={workload} pods={pods} />
    </section>
  );
}
