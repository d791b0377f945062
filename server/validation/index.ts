/**
 * Misconfiguration checks for an Istio mesh: parse objects into a snapshot, run the rules, get
 * findings (codes in `lib/validation/catalogue.ts`). The same engine serves YAML files (CLI) and the
 * console's live Kubernetes caches (incremental index fed by watch events).
 */
export { validate, type ValidateOptions } from "./engine";
export { createValidationIndex, type ValidationIndex, type ValidationIndexOptions, type WatchEvent, type WatchEventType } from "./incremental";
export { MeshSnapshot, snapshotFromObjects, type SnapshotOptions, type Workload } from "./snapshot";
export { allRules } from "./rules";
export type { Rule } from "./rule";
export { runValidateCommand, type CommandIo } from "./cli";
export { parseMeshConfigText, type MeshConfig } from "./mesh-config";
export { mayReadObject, redactFindings, redactReport, type RedactedFinding, type WithheldObject } from "./redaction";
