import { describe, expect, it } from "vitest";
import { namespaceBoxGeometry } from "./namespaceBoxes";

describe("namespaceBoxGeometry", () => {
  it("wraps each namespace's members with padding on every side", () => {
    const geometry = namespaceBoxGeometry(
      [
        { box: "a", x1: 0, y1: 0, x2: 30, y2: 40 },
        { box: "a", x1: 100, y1: 60, x2: 130, y2: 100 },
        { box: "b", x1: 0, y1: 200, x2: 30, y2: 240 },
      ],
      10,
    );
    expect(geometry.get("a")).toEqual({ x: 65, y: 50, width: 150, height: 120 });
    expect(geometry.get("b")).toEqual({ x: 15, y: 220, width: 50, height: 60 });
  });

  it("gives no box to a namespace with nothing drawn", () => {
    expect(namespaceBoxGeometry([]).size).toBe(0);
  });
});
