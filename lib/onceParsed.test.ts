import { describe, expect, it } from "vitest";
import { z } from "zod";
import { onceParsed } from "./onceParsed";

describe("onceParsed", () => {
  const schema = z.object({ name: z.string() });

  it("parses an object once and answers the same result while it is the same object", () => {
    let checks = 0;
    const counted = z.object({ name: z.string().refine(() => (checks += 1) > 0) });
    const parse = onceParsed(counted);
    const object = { name: "reviews" };
    expect(parse(object)).toBe(parse(object));
    expect(checks).toBe(1);
  });

  it("parses a replaced object afresh, as a watch cache's update brings a new one", () => {
    const parse = onceParsed(schema);
    const before = { name: "reviews" };
    const after = { name: 3 };
    expect(parse(before).success).toBe(true);
    expect(parse(after).success).toBe(false);
  });

  it("parses values that are not objects every time", () => {
    const parse = onceParsed(schema);
    expect(parse(null).success).toBe(false);
    expect(parse("reviews").success).toBe(false);
  });
});
