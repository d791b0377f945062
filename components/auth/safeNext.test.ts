import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safeNext";

describe("safeNextPath", () => {
  it("keeps a path inside the console", () => {
    expect(safeNextPath("/services/bookinfo/reviews?window=1h")).toBe("/services/bookinfo/reviews?window=1h");
  });

  it.each([
    ["open redirect to another site with a protocol-relative URL", "//evil.example/steal"],
    ["open redirect with a backslash browsers treat as a slash", "/\\evil.example"],
    ["open redirect with an absolute URL", "https://evil.example"],
    ["header splitting with an encoded newline left decoded", "/x\r\nSet-Cookie: a=b"],
    ["a sign-in loop", "/login?next=/login"],
  ])("refuses %s", (_attack, next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
