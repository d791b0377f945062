/**
 * Saved find/hide expressions: the console's own, the ones set in its configuration
 * (`MESH_CONSOLE_GRAPH_PRESETS`), and a person's own, kept in their browser.
 */
import { z } from "zod";
import { parseFindExpression } from "./findExpression";

export const findPresetSchema = z.object({ name: z.string().min(1).max(80), target: z.enum(["find", "hide"]), expression: z.string().min(1).max(500) });
export type FindPreset = z.infer<typeof findPresetSchema>;

export const BUILT_IN_PRESETS: readonly FindPreset[] = [
  { name: "Find failed requests", target: "find", expression: "%error>0" },
  { name: "Find slow edges (p95 over 500 ms)", target: "find", expression: "responsetime>500" },
  { name: "Find circuit breakers", target: "find", expression: "circuitbreaker" },
  { name: "Find pods without sidecar", target: "find", expression: "sidecar=false" },
  { name: "Hide idle nodes", target: "hide", expression: "unused" },
  { name: "Hide nodes outside these namespaces", target: "hide", expression: "outside" },
];

/**
 * Presets as written in the configuration: `Name: find EXPRESSION` or `Name: hide EXPRESSION`,
 * separated by `;`. Each expression must parse; the problems name the preset and what is wrong.
 */
export function parsePresetSetting(raw: string): { presets: FindPreset[]; problems: string[] } {
  const presets: FindPreset[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(";").map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^:]+):\s*(find|hide)\s+(.+)$/i.exec(entry);
    if (!match) {
      problems.push(`${JSON.stringify(entry)}: expected "Name: find EXPRESSION" or "Name: hide EXPRESSION"`);
      continue;
    }
    const [, name = "", target = "", expression = ""] = match;
    const parsed = parseFindExpression(expression.trim());
    if (!parsed.ok) {
      problems.push(`${JSON.stringify(name.trim())}: ${parsed.error}`);
      continue;
    }
    const preset = findPresetSchema.safeParse({ name: name.trim(), target: target.toLowerCase(), expression: expression.trim() });
    if (preset.success) presets.push(preset.data);
    else problems.push(`${JSON.stringify(name.trim())}: ${preset.error.issues[0]?.message ?? "invalid"}`);
  }
  return { presets, problems };
}

/** A person's own presets as the browser stored them; anything unreadable is dropped, not fatal. */
export function readStoredPresets(stored: string | null): FindPreset[] {
  if (!stored) return [];
  try {
    const parsed = z.array(findPresetSchema).safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data.filter((preset) => parseFindExpression(preset.expression).ok) : [];
  } catch {
    return [];
  }
}
