import { describe, expect, it } from "vitest";
import { allResponseFlags, describeResponseFlag, responseFlag, splitResponseFlags } from "./responseFlags";

describe("response flags", () => {
  it.each([
    ["-", []],
    ["", []],
    [null, []],
    ["FI", ["FI"]],
    ["UH,URX", ["UH", "URX"]],
    ["UF, URX", ["UF", "URX"]],
  ])("splits %j", (value, expected) => {
    expect(splitResponseFlags(value)).toEqual(expected);
  });

  it.each(["UH", "UF", "UO", "NR", "URX", "UT", "DC", "LH", "UC", "DI", "FI", "RL", "UAEX", "RLSE", "IH", "SI", "DPE", "UPE", "UMSDR", "OM", "DF"])("knows %s", (code) => {
    const flag = responseFlag(code);
    expect(flag?.meaning).toBeTruthy();
    expect(flag?.edge).toBeTruthy();
  });

  it("says that FI is an injected fault and DI an injected delay", () => {
    expect(responseFlag("FI")?.meaning).toMatch(/aborted by fault injection/);
    expect(responseFlag("DI")?.meaning).toMatch(/delayed by fault injection/);
  });

  it("has one entry per code", () => {
    const codes = allResponseFlags().map((flag) => flag.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("describes an unknown code instead of failing", () => {
    expect(describeResponseFlag("ZZ")).toMatch(/does not know/);
    expect(describeResponseFlag("UT")).toMatch(/^UT \(UpstreamRequestTimeout\)/);
  });
});
