import { describe, expect, it } from "vitest";
import { parseFindExpression } from "./findExpression";
import { BUILT_IN_PRESETS, parsePresetSetting, readStoredPresets } from "./findPresets";

describe("find presets", () => {
  it("reads the configuration's presets and names each one that is wrong", () => {
    const { presets, problems } = parsePresetSetting("Slow payments: find ns=payments and p95>200; Quiet: hide unused ; Broken: find colour=red; nonsense");
    expect(presets).toEqual([
      { name: "Slow payments", target: "find", expression: "ns=payments and p95>200" },
      { name: "Quiet", target: "hide", expression: "unused" },
    ]);
    expect(problems).toEqual([expect.stringContaining('"Broken": unknown field "colour"'), expect.stringContaining('"nonsense": expected "Name: find EXPRESSION"')]);
    expect(parsePresetSetting("")).toEqual({ presets: [], problems: [] });
  });

  it("ships only presets that parse", () => {
    for (const preset of BUILT_IN_PRESETS) expect(parseFindExpression(preset.expression).ok, preset.name).toBe(true);
  });

  it("drops stored presets it cannot read", () => {
    expect(readStoredPresets('[{"name":"Mine","target":"find","expression":"rps>1"},{"name":"Bad","target":"find","expression":"x"}]')).toEqual([{ name: "Mine", target: "find", expression: "rps>1" }]);
    expect(readStoredPresets("{not json")).toEqual([]);
    expect(readStoredPresets(null)).toEqual([]);
  });
});
