"use client";

import { useState } from "react";
import { RETRY_ON, STRING_MATCH_TYPES, type RoutingState } from "@/lib/routing/schemas";
import { wizards, type RoutingWrite } from "@/lib/routing/wizards";
import { ReviewAndApply } from "./ReviewAndApply";
import { useWizardWrite } from "./useWizardWrite";
import styles from "./wizards.module.css";

/** What every wizard form gets from the service page. */
export interface WizardProps {
  state: RoutingState;
  onReload: () => void;
  onClose: () => void;
}

function Shell({ wizard, state, body, onReload, children }: WizardProps & { wizard: RoutingWrite; body: Record<string, unknown>; children: React.ReactNode }) {
  const write = useWizardWrite(state.namespace, state.service, wizard, state);
  return (
    <section aria-label={wizard.title} className={styles.wizard}>
      <h3>{wizard.title}</h3>
      <div className={styles.form}>{children}</div>
      <ReviewAndApply write={write} body={body} disabledReason={state.canWrite ? undefined : state.reason} onReload={onReload} />
    </section>
  );
}

function SubsetSelect({ state, value, onChange, label }: { state: RoutingState; value: string; onChange: (value: string) => void; label: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {state.subsets.map((subset) => (
          <option key={subset.name}>{subset.name}</option>
        ))}
      </select>
    </label>
  );
}

type Rule = { on: "header" | "uri"; header: string; type: (typeof STRING_MATCH_TYPES)[number]; value: string; subset: string };

/** Header or URI rules tried in order, then a default subset. */
export function RequestRoutingWizard(props: WizardProps) {
  const first = props.state.subsets[0]?.name ?? "";
  const [rules, setRules] = useState<Rule[]>([{ on: "header", header: "end-user", type: "exact", value: "", subset: first }]);
  const [defaultSubset, setDefaultSubset] = useState(first);
  const update = (index: number, change: Partial<Rule>) => setRules(rules.map((rule, at) => (at === index ? { ...rule, ...change } : rule)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    setRules(next);
  };
  const body = {
    rules: rules.filter((rule) => rule.value).map((rule) => ({ match: rule.on === "header" ? { on: "header", header: rule.header, type: rule.type, value: rule.value } : { on: "uri", type: rule.type, value: rule.value }, subset: rule.subset })),
    defaultSubset,
  };
  return (
    <Shell {...props} wizard={wizards.requestRouting} body={body}>
      <ol>
        {rules.map((rule, index) => (
          <li key={index}>
            <fieldset>
              <legend>Rule {index + 1}</legend>
              <select aria-label={`Rule ${index + 1} matches on`} value={rule.on} onChange={(event) => update(index, { on: event.target.value as Rule["on"] })}>
                <option value="header">header</option>
                <option value="uri">URI</option>
              </select>
              {rule.on === "header" ? <input aria-label={`Rule ${index + 1} header name`} value={rule.header} onChange={(event) => update(index, { header: event.target.value })} /> : null}
              <select aria-label={`Rule ${index + 1} match type`} value={rule.type} onChange={(event) => update(index, { type: event.target.value as Rule["type"] })}>
                {STRING_MATCH_TYPES.map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
              <input aria-label={`Rule ${index + 1} value`} value={rule.value} onChange={(event) => update(index, { value: event.target.value })} />
              <SubsetSelect state={props.state} label="to subset" value={rule.subset} onChange={(subset) => update(index, { subset })} />
              <button type="button" onClick={() => move(index, -1)} disabled={index === 0}>
                Up
              </button>
              <button type="button" onClick={() => move(index, 1)} disabled={index === rules.length - 1}>
                Down
              </button>
              <button type="button" onClick={() => setRules(rules.filter((_, at) => at !== index))}>
                Remove rule
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => setRules([...rules, { on: "uri", header: "", type: "prefix", value: "", subset: first }])}>
        Add rule
      </button>
      <SubsetSelect state={props.state} label="Everything else goes to" value={defaultSubset} onChange={setDefaultSubset} />
    </Shell>
  );
}

/** Said instead of a form when the wizard has no Gateway API equivalent (the server refuses it the same way). */
function NotForGatewayApi({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className={styles.wizard}>
      <h3>{title}</h3>
      <p className="state state-stale" role="note">
        {children}
      </p>
    </section>
  );
}

/** Delay and abort on the default route; the Gateway API has none. */
export function FaultInjectionWizard(props: WizardProps) {
  if (props.state.api === "gateway-api") {
    return (
      <NotForGatewayApi title={wizards.faultInjection.title}>
        The Gateway API has no fault injection: HTTPRoute has no equivalent of a VirtualService&apos;s fault, and Istio ignores VirtualServices for a service that a mesh HTTPRoute routes, so the console writes none. Inject faults in the application, or route {props.state.service} with a VirtualService instead.
      </NotForGatewayApi>
    );
  }
  return <FaultInjectionForm {...props} />;
}

function FaultInjectionForm(props: WizardProps) {
  const [delay, setDelay] = useState({ on: true, percentage: 10, fixedDelay: "5s" });
  const [abort, setAbort] = useState({ on: false, percentage: 10, httpStatus: 503 });
  const body = {
    ...(delay.on ? { delay: { percentage: delay.percentage, fixedDelay: delay.fixedDelay } } : {}),
    ...(abort.on ? { abort: { percentage: abort.percentage, httpStatus: abort.httpStatus } } : {}),
  };
  return (
    <Shell {...props} wizard={wizards.faultInjection} body={body}>
      <fieldset>
        <legend>
          <label>
            <input type="checkbox" checked={delay.on} onChange={(event) => setDelay({ ...delay, on: event.target.checked })} /> Delay
          </label>
        </legend>
        <label>
          Percent of requests
          <input type="number" min={0} max={100} value={delay.percentage} onChange={(event) => setDelay({ ...delay, percentage: Number(event.target.value) })} />
        </label>
        <label>
          Fixed delay
          <input value={delay.fixedDelay} onChange={(event) => setDelay({ ...delay, fixedDelay: event.target.value })} />
        </label>
      </fieldset>
      <fieldset>
        <legend>
          <label>
            <input type="checkbox" checked={abort.on} onChange={(event) => setAbort({ ...abort, on: event.target.checked })} /> Abort
          </label>
        </legend>
        <label>
          Percent of requests
          <input type="number" min={0} max={100} value={abort.percentage} onChange={(event) => setAbort({ ...abort, percentage: Number(event.target.value) })} />
        </label>
        <label>
          HTTP status
          <input type="number" min={200} max={599} value={abort.httpStatus} onChange={(event) => setAbort({ ...abort, httpStatus: Number(event.target.value) })} />
        </label>
      </fieldset>
    </Shell>
  );
}

/** Route timeout and retry policy on the default route; with the Gateway API, the request timeout only. */
export function TimeoutsWizard(props: WizardProps) {
  const [timeout, setTimeoutValue] = useState("10s");
  const [attempts, setAttempts] = useState(3);
  const [perTryTimeout, setPerTryTimeout] = useState("2s");
  const [retryOn, setRetryOn] = useState<string[]>(["5xx", "connect-failure"]);
  if (props.state.api === "gateway-api") {
    return (
      <Shell {...props} wizard={wizards.timeouts} body={{ ...(timeout ? { timeout } : {}) }}>
        <label>
          Request timeout (HTTPRoute timeouts.request)
          <input value={timeout} onChange={(event) => setTimeoutValue(event.target.value)} />
        </label>
        <p className="muted">HTTPRoute retries are not in the Gateway API&apos;s standard channel, so this wizard sets the timeout only.</p>
      </Shell>
    );
  }
  const body = { ...(timeout ? { timeout } : {}), retries: { attempts, ...(perTryTimeout ? { perTryTimeout } : {}), retryOn } };
  return (
    <Shell {...props} wizard={wizards.timeouts} body={body}>
      <label>
        Timeout
        <input value={timeout} onChange={(event) => setTimeoutValue(event.target.value)} />
      </label>
      <label>
        Attempts
        <input type="number" min={0} max={20} value={attempts} onChange={(event) => setAttempts(Number(event.target.value))} />
      </label>
      <label>
        Per-try timeout
        <input value={perTryTimeout} onChange={(event) => setPerTryTimeout(event.target.value)} />
      </label>
      <fieldset>
        <legend>Retry on</legend>
        {RETRY_ON.map((condition) => (
          <label key={condition} style={{ flexDirection: "row", display: "inline-flex", marginRight: 8 }}>
            <input type="checkbox" checked={retryOn.includes(condition)} onChange={(event) => setRetryOn(event.target.checked ? [...retryOn, condition] : retryOn.filter((entry) => entry !== condition))} /> {condition}
          </label>
        ))}
      </fieldset>
    </Shell>
  );
}

/** Connection pool and outlier detection on the DestinationRule. */
export function CircuitBreakingWizard(props: WizardProps) {
  if (props.state.api === "gateway-api") {
    return (
      <NotForGatewayApi title={wizards.circuitBreaking.title}>
        The HTTPRoute sends requests to one Service per version, so a DestinationRule for {props.state.service} would not apply to them; circuit breaking here needs a DestinationRule per version Service, which this wizard does not write.
      </NotForGatewayApi>
    );
  }
  return <CircuitBreakingForm {...props} />;
}

function CircuitBreakingForm(props: WizardProps) {
  const [pool, setPool] = useState({ maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 0 });
  const [outlier, setOutlier] = useState({ consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 });
  const numberField = <T extends Record<string, number | string>>(values: T, set: (next: T) => void, key: keyof T & string, label: string) => (
    <label key={key}>
      {label}
      <input type={typeof values[key] === "number" ? "number" : "text"} value={values[key]} onChange={(event) => set({ ...values, [key]: typeof values[key] === "number" ? Number(event.target.value) : event.target.value })} />
    </label>
  );
  const connectionPool = { maxConnections: pool.maxConnections, http1MaxPendingRequests: pool.http1MaxPendingRequests, ...(pool.maxRequestsPerConnection > 0 ? { maxRequestsPerConnection: pool.maxRequestsPerConnection } : {}) };
  return (
    <Shell {...props} wizard={wizards.circuitBreaking} body={{ connectionPool, outlierDetection: outlier }}>
      <fieldset>
        <legend>Connection pool</legend>
        {numberField(pool, setPool, "maxConnections", "Max connections")}
        {numberField(pool, setPool, "http1MaxPendingRequests", "Max pending requests")}
        {numberField(pool, setPool, "maxRequestsPerConnection", "Max requests per connection (0: unlimited)")}
      </fieldset>
      <fieldset>
        <legend>Outlier detection</legend>
        {numberField(outlier, setOutlier, "consecutive5xxErrors", "Consecutive 5xx errors")}
        {numberField(outlier, setOutlier, "interval", "Interval")}
        {numberField(outlier, setOutlier, "baseEjectionTime", "Base ejection time")}
        {numberField(outlier, setOutlier, "maxEjectionPercent", "Max ejection percent")}
      </fieldset>
    </Shell>
  );
}

/** A share of the default route's requests copied to a subset. */
export function MirroringWizard(props: WizardProps) {
  const [subset, setSubset] = useState(props.state.subsets.at(-1)?.name ?? "");
  const [percentage, setPercentage] = useState(10);
  return (
    <Shell {...props} wizard={wizards.mirroring} body={{ subset, percentage }}>
      <SubsetSelect state={props.state} label="Mirror to subset" value={subset} onChange={setSubset} />
      <label>
        Percent of requests (0 stops mirroring)
        <input type="number" min={0} max={100} value={percentage} onChange={(event) => setPercentage(Number(event.target.value))} />
      </label>
    </Shell>
  );
}
