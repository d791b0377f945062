"use client";

import type { ReactNode } from "react";
import { HEALTH_LABELS, HEALTH_STATES } from "@/lib/health";
import { applyListQuery, type ListQuery, type ListRow, type SortKey } from "@/lib/listQuery";
import { formatMilliseconds, formatPercent, formatRate } from "@/lib/format";
import { HealthBadge } from "@/components/common/HealthBadge";
import { useListQuery } from "./useListQuery";

export interface ExtraColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

interface MeshTableProps<T extends ListRow> {
  label: string;
  rows: T[];
  nameCell: (row: T) => ReactNode;
  extraColumns: ExtraColumn<T>[];
  /** False while traffic figures are still loading or unavailable. */
  trafficKnown: boolean;
}

const TRAFFIC_COLUMNS: { key: SortKey; header: string; format: (row: ListRow) => string }[] = [
  { key: "requestRate", header: "Requests", format: (row) => formatRate(row.requestRate) },
  { key: "errorShare", header: "Errors", format: (row) => formatPercent(row.errorShare) },
  { key: "p95Ms", header: "P95 latency", format: (row) => formatMilliseconds(row.p95Ms) },
];

function SortHeader({ sortKey, children, numeric, query, update }: { sortKey: SortKey; children: ReactNode; numeric?: boolean; query: ListQuery; update: (change: Partial<ListQuery>) => void }) {
  const active = query.sort === sortKey;
  // Numbers are most often wanted highest first.
  const nextOrder = active && query.order === "asc" ? "desc" : active ? "asc" : numeric ? "desc" : "asc";
  return (
    <th scope="col" className={numeric ? "number" : undefined} aria-sort={active ? (query.order === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" className="sort" onClick={() => update({ sort: sortKey, order: nextOrder })}>
        {children} {active ? (query.order === "asc" ? "▲" : "▼") : ""}
      </button>
    </th>
  );
}

export function MeshTable<T extends ListRow>({ label, rows, nameCell, extraColumns, trafficKnown }: MeshTableProps<T>) {
  const [query, update] = useListQuery();
  const shown = applyListQuery(rows, query);

  return (
    <>
      <div className="list-controls" role="search" aria-label={`Filter ${label.toLowerCase()}`}>
        <label>
          Name contains
          <input value={query.text} onChange={(event) => update({ text: event.target.value })} placeholder="e.g. reviews" />
        </label>
        <label>
          Label
          <input value={query.label} onChange={(event) => update({ label: event.target.value })} placeholder="app, !version, app=reviews" />
        </label>
        <label>
          Health
          <select value={query.health} onChange={(event) => update({ health: event.target.value as typeof query.health })}>
            <option value="">Any</option>
            {HEALTH_STATES.map((health) => (
              <option key={health} value={health}>
                {HEALTH_LABELS[health]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="list-count" role="status">
        {shown.length} of {rows.length} {label.toLowerCase()}
        {trafficKnown ? "" : " (traffic figures unavailable)"}
      </p>
      <table className="list" aria-label={label}>
        <thead>
          <tr>
            <SortHeader query={query} update={update} sortKey="name">Name</SortHeader>
            <SortHeader query={query} update={update} sortKey="namespace">Namespace</SortHeader>
            <SortHeader query={query} update={update} sortKey="health">Health</SortHeader>
            {TRAFFIC_COLUMNS.map((column) => (
              <SortHeader query={query} update={update} key={column.key} sortKey={column.key} numeric>
                {column.header}
              </SortHeader>
            ))}
            {extraColumns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={`${row.namespace}/${row.name}`} data-testid={`row-${row.namespace}-${row.name}`}>
              <td>{nameCell(row)}</td>
              <td>{row.namespace}</td>
              <td>
                <HealthBadge health={row.health} />
              </td>
              {TRAFFIC_COLUMNS.map((column) => (
                <td key={column.key} className="number" data-column={column.key}>
                  {column.format(row)}
                </td>
              ))}
              {extraColumns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
