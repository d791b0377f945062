import { describe, expect, it } from "vitest";
import { findingSchema, formatFinding, sortFindings, type Finding } from "./finding";

const subset: Finding = {
  code: "IST0101",
  severity: "error",
  message: 'Referenced subset not found: "v4"',
  object: { kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
  path: "spec.http[0].route[1].destination.subset",
};

describe("findings", () => {
  it("print like istioctl analyze", () => {
    expect(formatFinding(subset)).toBe('Error [IST0101] (VirtualService bookinfo/reviews spec.http[0].route[1].destination.subset) Referenced subset not found: "v4"');
    expect(formatFinding({ ...subset, object: { ...subset.object, namespace: "" }, path: "", severity: "info" })).toBe('Info [IST0101] (VirtualService reviews) Referenced subset not found: "v4"');
  });

  it("sort by object, then field, regardless of input order", () => {
    const other: Finding = { ...subset, object: { ...subset.object, name: "details" } };
    const earlierPath: Finding = { ...subset, path: "spec.hosts" };
    expect(sortFindings([subset, earlierPath, other])).toEqual([other, earlierPath, subset]);
  });

  it("reject a malformed finding with the field named", () => {
    const result = findingSchema.safeParse({ ...subset, code: "E1" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["code"]);
  });
});
