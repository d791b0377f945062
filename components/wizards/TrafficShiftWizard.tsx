"use client";

import { useState } from "react";
import type { RoutingState } from "@/lib/routing/schemas";
import { versionServiceName } from "@/lib/routing/httpRoute";
import { wizards } from "@/lib/routing/wizards";
import { allTo, CANARY_STEPS, fromRecord, nextCanaryStep, promote, setWeight, splitEvenly, stableSubset, toRecord, type SubsetWeight } from "@/lib/routing/weights";
import { StartRolloutForm } from "@/components/rollouts/StartRolloutForm";
import { CanaryPanel } from "./CanaryPanel";
import type { WizardProps } from "./RouteWizards";
import { ReviewAndApply } from "./ReviewAndApply";
import { useWizardWrite } from "./useWizardWrite";
import styles from "./wizards.module.css";

/** Where the sliders start: the configured split, or everything on the first version when nothing splits yet. */
function initialWeights(state: RoutingState): SubsetWeight[] {
  const subsets = state.subsets.map((subset) => subset.name);
  if (state.weights) return fromRecord(subsets, state.weights);
  return subsets.length > 0 ? allTo(subsets, subsets[0]!) : [];
}

/** The canary by default: the version after the stable one that has the most traffic, else the second version. */
function initialCanary(weights: readonly SubsetWeight[]): string {
  const stable = stableSubset(weights);
  const others = weights.filter((entry) => entry.subset !== stable).sort((a, b) => b.weight - a.weight);
  return (others[0]?.weight ? others[0].subset : (weights.find((entry) => entry.subset !== stable)?.subset ?? stable)) ?? "";
}

export function TrafficShiftWizard({ state, onReload, onClose }: WizardProps) {
  const [weights, setWeights] = useState(() => initialWeights(state));
  const [locked, setLocked] = useState<ReadonlySet<string>>(new Set());
  const [canary, setCanary] = useState(() => initialCanary(initialWeights(state)));
  const write = useWizardWrite(state.namespace, state.service, wizards.trafficShift, state);
  const stable = stableSubset(weights.filter((entry) => entry.subset !== canary)) ?? "";
  const canaryWeight = weights.find((entry) => entry.subset === canary)?.weight ?? 0;
  const nextStep = nextCanaryStep(canaryWeight);

  const toggleLock = (subset: string) => {
    const next = new Set(locked);
    if (next.has(subset)) next.delete(subset);
    else next.add(subset);
    setLocked(next);
  };

  if (weights.length === 0) {
    return <p className="muted">The workloads of {state.service} carry no version label, so there are no {state.api === "gateway-api" ? "versions" : "subsets"} to shift traffic between.</p>;
  }

  return (
    <section aria-label={wizards.trafficShift.title} className={styles.wizard}>
      <h3>{wizards.trafficShift.title}</h3>
      <div className={styles.columns}>
        <div>
          {state.api === "gateway-api" ? (
            <p className="muted">
              Weights of the HTTPRoute&apos;s backendRefs, one Service per version ({state.subsets.map((subset) => versionServiceName(state.service, subset.name)).join(", ")}); a version without its Service gets one, created before the route names it.
            </p>
          ) : null}
          <div className={styles.sliders} role="group" aria-label="Weights per subset">
            {weights.map((entry) => (
              <SubsetSlider key={entry.subset} entry={entry} locked={locked.has(entry.subset)} onChange={(value) => setWeights(setWeight(weights, entry.subset, value, locked))} onToggleLock={() => toggleLock(entry.subset)} />
            ))}
          </div>
          <p className="muted" aria-live="polite">
            Total {weights.reduce((sum, entry) => sum + entry.weight, 0)} %
          </p>
          <div className={styles.toolbar}>
            <button type="button" onClick={() => setWeights(splitEvenly(weights, locked))}>
              Split evenly
            </button>
            <label>
              Canary{" "}
              <select value={canary} onChange={(event) => setCanary(event.target.value)} aria-label="Canary subset">
                {weights.map((entry) => (
                  <option key={entry.subset} value={entry.subset}>
                    {entry.subset}
                  </option>
                ))}
              </select>
            </label>
            <span role="group" aria-label="Canary steps">
              {CANARY_STEPS.map((step) => (
                <button key={step} type="button" onClick={() => setWeights(setWeight(weights, canary, step, locked))} aria-pressed={canaryWeight === step}>
                  {step} %
                </button>
              ))}
            </span>
            <button type="button" onClick={() => setWeights(promote(weights, canary, locked))} disabled={nextStep === undefined}>
              {nextStep === undefined ? "Canary fully promoted" : `Promote ${canary} to ${nextStep} %`}
            </button>
          </div>
          <ReviewAndApply write={write} body={{ weights: toRecord(weights) }} disabledReason={state.canWrite ? undefined : state.reason} onReload={onReload} />
          <StartRolloutForm namespace={state.namespace} service={state.service} stable={stable} canary={canary} disabledReason={state.canWrite ? undefined : state.reason} />
        </div>
        <CanaryPanel
          namespace={state.namespace}
          service={state.service}
          configured={state.weights}
          canary={canary}
          stable={stable}
          backends={state.api === "gateway-api" ? state.subsets.map((subset) => versionServiceName(state.service, subset.name)) : []}
          routedBy={state.api === "gateway-api" ? "HTTPRoute" : "VirtualService"}
          behindWaypoint={state.ambient?.dataPlane === "ambient-waypoint"}
        />
      </div>
      <button type="button" className="link-button" onClick={onClose}>
        Close traffic shifting
      </button>
    </section>
  );
}

function SubsetSlider({ entry, locked, onChange, onToggleLock }: { entry: SubsetWeight; locked: boolean; onChange: (value: number) => void; onToggleLock: () => void }) {
  const id = `weight-${entry.subset}`;
  return (
    <>
      <label htmlFor={id}>{entry.subset}</label>
      <input id={id} type="range" min={0} max={100} step={1} value={entry.weight} disabled={locked} aria-label={`Weight of ${entry.subset}`} aria-valuetext={`${entry.weight} percent`} onChange={(event) => onChange(Number(event.target.value))} />
      <input type="number" min={0} max={100} step={1} value={entry.weight} disabled={locked} aria-label={`Percent to ${entry.subset}`} onChange={(event) => onChange(Number(event.target.value))} />
      <label>
        <input type="checkbox" checked={locked} onChange={onToggleLock} /> Lock
        <span className={styles.srOnly}> {entry.subset}</span>
      </label>
    </>
  );
}
