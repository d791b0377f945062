"use client";

import Link from "next/link";
import { summarizeGatewayApiObject } from "@/lib/gatewayApi/configSummary";
import { reportedStatusOf, type ConditionGroup } from "@/lib/gatewayApi/reportedStatus";
import styles from "./config.module.css";

/** The conditions of one subject (the Gateway, a listener, a route's parent); the failing ones first and in words. */
function Conditions({ group }: { group: ConditionGroup }) {
  return (
    <li data-testid="gateway-api-condition-group">
      <strong>{group.subject}</strong>
      <ul>
        {group.failing.map((condition) => (
          <li key={`failing-${condition.type}`} className={styles.conditionProblem} role="alert">
            {condition.type} is {condition.status}
            {condition.reason ? ` (${condition.reason})` : ""}
            {condition.message ? `: ${condition.message}` : ""}
          </li>
        ))}
        {group.conditions
          .filter((condition) => !group.failing.includes(condition))
          .map((condition) => (
            <li key={condition.type}>
              {condition.type}: {condition.status}
              {condition.reason ? ` (${condition.reason})` : ""}
            </li>
          ))}
      </ul>
    </li>
  );
}

/** Parents, hostnames, rules with their weighted backends, and the status conditions the controller wrote. */
export function GatewayApiSummaryPanel({ object }: { object: Record<string, unknown> }) {
  const apiKind = typeof object.kind === "string" ? object.kind : "";
  const summary = summarizeGatewayApiObject(object);
  const reported = reportedStatusOf(apiKind, object);
  return (
    <section aria-label="Summary" className={styles.summary}>
      <p data-testid="gateway-api-status" className={reported.state === "problem" ? styles.conditionProblem : undefined}>
        Status: <strong>{reported.summary}</strong>
      </p>
      {reported.groups.length > 0 ? <ul aria-label="Status conditions">{reported.groups.map((group) => <Conditions key={group.subject} group={group} />)}</ul> : null}
      {summary ? (
        <>
          {summary.facts.length > 0 ? (
            <ul>
              {summary.facts.map((fact) => (
                <li key={fact}>{fact}</li>
              ))}
            </ul>
          ) : null}
          {summary.parents.length > 0 ? <p>Parents: {summary.parents.join("; ")}</p> : null}
          {summary.hostnames.length > 0 ? <p>Hostnames: {summary.hostnames.join(", ")}</p> : null}
          {summary.rules.length > 0 ? (
            <table className="list" aria-label="Rules">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Matches</th>
                  <th scope="col">Filters, timeouts</th>
                  <th scope="col">Backends (weight, share)</th>
                </tr>
              </thead>
              <tbody>
                {summary.rules.map((rule, index) => (
                  <tr key={index}>
                    <td>{rule.name ?? index + 1}</td>
                    <td>{rule.matches.length ? rule.matches.join(" or ") : "any request"}</td>
                    <td>{[...rule.filters, ...(rule.timeouts ? [`timeouts: ${rule.timeouts}`] : [])].join(", ") || "—"}</td>
                    <td>
                      {rule.backends.map((backend) => (
                        <div key={backend.target} data-testid="gateway-api-backend">
                          {backend.service ? <Link href={`/services/${backend.service.namespace}/${backend.service.name}`}>{backend.target}</Link> : backend.target} weight {backend.weight} ({backend.percent} %)
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
