"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorBanner, Loading } from "@/components/common/states";
import { queryKeys } from "@/lib/queryKeys";
import { ROUTING_API_TITLES } from "@/lib/routing/routingApi";
import { ROUTING_APIS, type RoutingApi, type RoutingHistoryEntry, type RoutingState } from "@/lib/routing/schemas";
import { rollback as rollbackWrite, WIZARD_KEYS, wizards, type WizardKey } from "@/lib/routing/wizards";
import { AmbientRouting } from "./AmbientRouting";
import { fetchRoutingState, sendRemoval, sendWizard } from "./routingApi";
import type { WizardProps } from "./RouteWizards";
import { openedVersions } from "./useWizardWrite";
import { WIZARD_FORMS } from "./wizardForms";
import styles from "./wizards.module.css";

function describeWeights(weights: Record<string, number> | null): string {
  if (!weights) return "no split";
  return Object.entries(weights)
    .map(([subset, weight]) => `${subset} ${weight} %`)
    .join(", ");
}

function HistoryList({ history }: { history: readonly RoutingHistoryEntry[] }) {
  if (history.length === 0) return <p className="muted">No routing changes by the console yet.</p>;
  return (
    <ol aria-label="Routing history" reversed>
      {[...history].reverse().map((entry, index) => (
        <li key={`${entry.at}-${index}`}>
          <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time> — {entry.by}, {entry.wizard}: {describeWeights(entry.from)} → {describeWeights(entry.to)}
        </li>
      ))}
    </ol>
  );
}

function routedBy(state: RoutingState): string {
  if (state.api === "gateway-api" && state.httpRoute) return `Routed by the Gateway API: HTTPRoute ${state.httpRoute.name}, one Service per version`;
  return `${state.virtualService ? `VirtualService ${state.virtualService.name}` : "No VirtualService"}${state.destinationRule ? `, DestinationRule ${state.destinationRule.name}` : ", no DestinationRule"}${state.apiChoosable ? ", no HTTPRoute" : ""}`;
}

/** Nothing routes the service yet: which API the wizards create. */
function RoutingApiChoice({ value, defaultApi, onChange }: { value: RoutingApi; defaultApi: RoutingApi; onChange: (api: RoutingApi) => void }) {
  return (
    <fieldset className={styles.form}>
      <legend>Route this service with</legend>
      {ROUTING_APIS.map((api) => (
        <label key={api}>
          <input type="radio" name="routing-api" value={api} checked={value === api} onChange={() => onChange(api)} /> {ROUTING_API_TITLES[api]}
          {api === defaultApi ? " (the console's default)" : ""}
        </label>
      ))}
    </fieldset>
  );
}

/** The open wizard's form, from the registry (components/wizards/wizardForms.tsx). */
function OpenWizard({ wizard, ...props }: WizardProps & { wizard: WizardKey }) {
  const Form = WIZARD_FORMS[wizard];
  return <Form {...props} />;
}

/** The service page's routing: current split, the wizards, rollback, removal and history. */
export function TrafficManagementSection({ namespace, service }: { namespace: string; service: string }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<WizardKey | null>(null);
  /** Bumped on "reload" after a conflict so the open wizard starts again from the new state. */
  const [generation, setGeneration] = useState(0);
  // No background refetch: the resourceVersions a wizard sends must be the ones the person saw.
  const routing = useQuery({ queryKey: queryKeys.routing(namespace, service), queryFn: () => fetchRoutingState(namespace, service), staleTime: Infinity, refetchOnWindowFocus: false });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.routing(namespace, service) });
  const reload = () => {
    void refresh().then(() => setGeneration((value) => value + 1));
  };
  const rollback = useMutation({
    mutationFn: (state: RoutingState) => {
      const { destinationRuleResourceVersion: _dr, ...opened } = openedVersions(state);
      return sendWizard(namespace, service, rollbackWrite, opened);
    },
    onSuccess: reload,
  });
  const removal = useMutation({
    mutationFn: (state: RoutingState) => {
      const { api: _api, ...versions } = openedVersions(state);
      return sendRemoval(namespace, service, Object.fromEntries(Object.entries(versions).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]]))));
    },
    onSuccess: reload,
  });
  /** For a service with no routing: the API the person picked (the console's default until then). */
  const [chosenApi, setChosenApi] = useState<RoutingApi | null>(null);

  const loaded = routing.data;
  const state = loaded && loaded.apiChoosable && chosenApi ? { ...loaded, api: chosenApi } : loaded;
  // Without a waypoint an ambient service ignores L7 routing: writing it would change nothing.
  const disabled = state && !state.canWrite ? state.reason : state?.ambient?.l7Blocked ? "L7 routing cannot apply to this service until a waypoint serves it (see above)" : undefined;
  return (
    <section aria-labelledby="traffic-management" className={styles.section}>
      <h2 id="traffic-management">Traffic management</h2>
      {routing.isPending ? <Loading what="routing" /> : null}
      {routing.isError ? <ErrorBanner title={`Routing of ${namespace}/${service} could not be read`} error={routing.error} onRetry={() => routing.refetch()} /> : null}
      {state ? (
        <>
          <p>
            {routedBy(state)}. Configured split: <strong data-testid="configured-split">{describeWeights(state.weights)}</strong>
          </p>
          {state.routingNote ? (
            <p className="state state-stale" role="note">
              {state.routingNote}
            </p>
          ) : null}
          <AmbientRouting state={state} canWrite={state.canWrite} onEnrolled={reload} />
          {state.apiChoosable ? <RoutingApiChoice value={state.api} defaultApi={state.defaultApi} onChange={setChosenApi} /> : null}
          {disabled ? (
            <p className="state state-stale" role="note">
              Wizards disabled: {disabled}
            </p>
          ) : null}
          <div className={styles.toolbar} role="group" aria-label="Routing wizards">
            {WIZARD_KEYS.map((key) => (
              <button key={key} type="button" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                {wizards[key].title}
              </button>
            ))}
            <button type="button" onClick={() => rollback.mutate(state)} disabled={!!disabled || !state.rollbackAvailable || rollback.isPending} title={state.rollbackAvailable ? "Restore the routing from before the console's last change" : "No earlier routing kept"}>
              Roll back last change
            </button>
            <button type="button" onClick={() => removal.mutate(state)} disabled={!!disabled || !state.consoleRouting || removal.isPending} title={state.api === "gateway-api" ? "Delete only the rules, routes and version Services the console created" : "Delete only the routes, subsets and objects the console created"}>
              Remove console routing
            </button>
          </div>
          {rollback.isError ? <ErrorBanner title="Rollback failed" error={rollback.error} onRetry={refresh} /> : null}
          {removal.isError ? <ErrorBanner title="Removal failed" error={removal.error} onRetry={refresh} /> : null}
          {rollback.isSuccess ? <p role="status">Rolled back to {describeWeights(rollback.data.weights)}.</p> : null}
          {open ? <OpenWizard key={`${open}-${generation}-${state.api}`} wizard={open} state={state} onReload={reload} onClose={() => setOpen(null)} /> : null}
          <h3>Routing history</h3>
          <HistoryList history={state.history} />
        </>
      ) : null}
    </section>
  );
}
