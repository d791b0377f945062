"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiPath, sendJson } from "@/lib/apiClient";
import { planProblems, ROLLOUT_PRESETS, stepsFromIncrement, type RolloutPlan, type RolloutPresetName } from "@/lib/rollouts/plan";
import { rolloutAnswerSchema } from "@/lib/rollouts/record";
import { queryKeys } from "@/lib/queryKeys";
import styles from "./rollouts.module.css";

/** The form's fields as typed, so a half-typed number is kept and explained rather than lost. */
interface PlanFields {
  steps: string;
  stepSeconds: string;
  intervalSeconds: string;
  minSuccessPercent: string;
  maxP95Ms: string;
  maxP99Ms: string;
  maxP95IncreasePercent: string;
  minRequestsPerCheck: string;
  failureLimit: string;
}

function fieldsOf(plan: RolloutPlan): PlanFields {
  return {
    steps: plan.steps.join(", "),
    stepSeconds: String(plan.stepSeconds),
    intervalSeconds: String(plan.intervalSeconds),
    minSuccessPercent: String(+(plan.gates.minSuccessRate * 100).toFixed(3)),
    maxP95Ms: plan.gates.maxP95Ms === null ? "" : String(plan.gates.maxP95Ms),
    maxP99Ms: plan.gates.maxP99Ms === null ? "" : String(plan.gates.maxP99Ms),
    maxP95IncreasePercent: plan.gates.maxP95IncreaseOverStable === null ? "" : String(+(plan.gates.maxP95IncreaseOverStable * 100).toFixed(3)),
    minRequestsPerCheck: String(plan.gates.minRequestsPerCheck),
    failureLimit: String(plan.failureLimit),
  };
}

/** Empty optional fields are null (that gate is left out); anything else must be a number. */
const number = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const optional = (text: string, scale = 1) => (text.trim() === "" ? null : Number(text) / scale);

function planOf(fields: PlanFields): unknown {
  return {
    steps: fields.steps.split(/[\s,→>]+/).filter(Boolean).map(Number),
    stepSeconds: number(fields.stepSeconds),
    intervalSeconds: number(fields.intervalSeconds),
    gates: {
      minSuccessRate: number(fields.minSuccessPercent) / 100,
      maxP95Ms: optional(fields.maxP95Ms),
      maxP99Ms: optional(fields.maxP99Ms),
      maxP95IncreaseOverStable: optional(fields.maxP95IncreasePercent, 100),
      minRequestsPerCheck: number(fields.minRequestsPerCheck),
    },
    failureLimit: number(fields.failureLimit),
  };
}

const FIELDS: { key: keyof PlanFields; problem: string; label: string; hint?: string }[] = [
  { key: "steps", problem: "steps", label: "Canary weight per step (%)", hint: "in order, ending at 100, e.g. 5, 10, 25, 50, 100" },
  { key: "stepSeconds", problem: "stepSeconds", label: "Wait per step (s)" },
  { key: "intervalSeconds", problem: "intervalSeconds", label: "Check every (s)" },
  { key: "minSuccessPercent", problem: "gates.minSuccessRate", label: "Minimum success rate (%)" },
  { key: "maxP95Ms", problem: "gates.maxP95Ms", label: "Maximum p95 latency (ms)", hint: "empty: no limit" },
  { key: "maxP99Ms", problem: "gates.maxP99Ms", label: "Maximum p99 latency (ms)", hint: "empty: no limit" },
  { key: "maxP95IncreasePercent", problem: "gates.maxP95IncreaseOverStable", label: "p95 at most this much above stable (%)", hint: "empty: not compared" },
  { key: "minRequestsPerCheck", problem: "gates.minRequestsPerCheck", label: "Requests a check needs" },
  { key: "failureLimit", problem: "failureLimit", label: "Failed checks that abort" },
];

/**
 * "Start rollout" beside the traffic-shifting wizard's Apply: a plan (from a preset, then any field
 * changed), every field checked as it is typed with the reason, and the first step written on start.
 */
export function StartRolloutForm({ namespace, service, stable, canary, disabledReason }: { namespace: string; service: string; stable: string; canary: string; disabledReason?: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [preset, setPreset] = useState<RolloutPresetName>("standard");
  const [fields, setFields] = useState<PlanFields>(() => fieldsOf(ROLLOUT_PRESETS.standard.plan));
  const [increment, setIncrement] = useState({ step: "10", max: "50" });
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => sendJson("POST", apiPath(`/api/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/rollout`), { stable, canary, plan: planOf(fields) }, rolloutAnswerSchema),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.rollouts() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.routing(namespace, service) });
      setOpen(false);
    },
  });
  const problems = planProblems(planOf(fields));
  const sameVersion = stable === canary ? "Choose a canary other than the stable version" : undefined;
  const refusal = disabledReason ?? sameVersion;

  if (!open) {
    return (
      <div className={styles.toolbar}>
        <button type="button" onClick={() => setOpen(true)} disabled={!!refusal} title={refusal}>
          Start rollout…
        </button>
        {start.isSuccess ? <span role="status">Rollout started: its progress is under Canary autopilot below.</span> : null}
      </div>
    );
  }

  const choosePreset = (name: RolloutPresetName) => {
    setPreset(name);
    setFields(fieldsOf(ROLLOUT_PRESETS[name].plan));
  };
  const applyIncrement = () => {
    try {
      setFields({ ...fields, steps: stepsFromIncrement(Number(increment.step), Number(increment.max)).join(", ") });
    } catch {
      // The two inputs explain themselves below.
    }
  };
  let incrementProblem: string | undefined;
  try {
    stepsFromIncrement(Number(increment.step), Number(increment.max));
  } catch (error) {
    incrementProblem = error instanceof Error ? error.message : String(error);
  }

  return (
    <form
      className={styles.form}
      aria-label="Rollout plan"
      onSubmit={(event) => {
        event.preventDefault();
        if (problems.size === 0 && !refusal) start.mutate();
      }}
    >
      <h4>
        Rollout of {canary} (stable {stable})
      </h4>
      <label>
        Preset
        <select value={preset} onChange={(event) => choosePreset(event.target.value as RolloutPresetName)}>
          {Object.entries(ROLLOUT_PRESETS).map(([name, entry]) => (
            <option key={name} value={name}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className={styles.inline}>
        <legend>Or steps of a fixed weight up to a maximum, then 100</legend>
        <label>
          Step weight (%)
          <input type="number" value={increment.step} onChange={(event) => setIncrement({ ...increment, step: event.target.value })} />
        </label>
        <label>
          Maximum (%)
          <input type="number" value={increment.max} onChange={(event) => setIncrement({ ...increment, max: event.target.value })} />
        </label>
        <button type="button" onClick={applyIncrement} disabled={!!incrementProblem} title={incrementProblem}>
          Use these steps
        </button>
      </fieldset>
      {FIELDS.map((field) => {
        const problem = problems.get(field.problem);
        const describedBy = `${id}-${field.key}`;
        return (
          <label key={field.key}>
            {field.label}
            <input value={fields[field.key]} onChange={(event) => setFields({ ...fields, [field.key]: event.target.value })} aria-invalid={problem ? true : undefined} aria-describedby={describedBy} inputMode={field.key === "steps" ? "text" : "decimal"} />
            <span id={describedBy} className={problem ? styles.problem : "muted"}>
              {problem ?? field.hint ?? ""}
            </span>
          </label>
        );
      })}
      {problems.get("plan") ? <p className={styles.problem}>{problems.get("plan")}</p> : null}
      <div className={styles.toolbar}>
        <button type="submit" disabled={problems.size > 0 || !!refusal || start.isPending} title={refusal ?? (problems.size > 0 ? "Correct the fields marked above" : undefined)}>
          {start.isPending ? "Starting…" : "Start rollout"}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {start.error ? (
        <div className="state state-error" role="alert">
          <strong>The rollout was not started</strong>
          <p>{start.error.message}</p>
        </div>
      ) : null}
    </form>
  );
}
