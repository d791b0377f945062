/**
 * How the console explains health in words, wherever it shows health: the graph's legend and the
 * lists. One wording, so a person reading either learns the same rule (the rules themselves are
 * lib/health.ts). Which objects' annotations apply differs by what is judged, as
 * server/telemetry/healthThresholds.ts layers them: an app has no object of its own, so only its
 * namespace's annotation judges it.
 */
import { DEFAULT_HEALTH_THRESHOLDS, explainHealthThresholds, HEALTH_ANNOTATION, HEALTH_LABELS, parseHealthThresholds, type HealthThresholds } from "@/lib/health";

/** What is judged: the graph's nodes, or the rows of one list. */
export type HealthExplained = "graph" | "service" | "workload" | "app";

export interface HealthExplanation {
  /** What the share is taken of, and how rules combine; ends before the rules are listed. */
  basis: string;
  /** The rules, one sentence each. */
  rules: string[];
  /** Who may override the rules, split around the annotation's name so it can be set as code. */
  override: { before: string; annotation: string; after: string };
}

/** A list judges each row by the requests it received in the window, as /api/traffic sums them. */
const listBasis = (subject: string) => `Judged from the share of the requests ${subject} received in the window; TCP-only traffic is healthy, and no traffic at all is ${HEALTH_LABELS["no-traffic"]}. The worst rule wins:`;

const BASIS: Record<HealthExplained, string> = {
  graph: "Judged from the share of a node's received requests (sent, for a node nobody calls); TCP-only traffic is healthy. The worst rule wins:",
  service: listBasis("each Service"),
  workload: listBasis("each workload"),
  app: listBasis("each app's workloads"),
};

const OVERRIDERS: Record<HealthExplained, { before: string; after: string }> = {
  graph: { before: "A namespace, Service or Deployment may override these with the", after: "annotation." },
  service: { before: "A Service, or its namespace, may override these with the", after: "annotation." },
  workload: { before: "A Deployment, or its namespace, may override these with the", after: "annotation." },
  app: { before: "An app's namespace may override these with the", after: "annotation (an app has no object of its own to annotate)." },
};

/**
 * The console's rules as an API response sent them (lib/health.ts format). Without them, or when
 * they cannot be read, the defaults: explaining today's default beats explaining nothing.
 */
export function rulesFromResponse(healthRules: string | undefined): HealthThresholds {
  if (healthRules === undefined) return DEFAULT_HEALTH_THRESHOLDS;
  const parsed = parseHealthThresholds(healthRules);
  return parsed.problems.length === 0 && parsed.rules.length > 0 ? parsed.rules : DEFAULT_HEALTH_THRESHOLDS;
}

export function explainHealth(rules: HealthThresholds, judged: HealthExplained): HealthExplanation {
  return { basis: BASIS[judged], rules: explainHealthThresholds(rules), override: { ...OVERRIDERS[judged], annotation: HEALTH_ANNOTATION } };
}
