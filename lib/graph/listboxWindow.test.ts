import { describe, expect, it } from "vitest";
import { activeListIndex, listboxOrder, listboxWindow } from "./listboxWindow";

describe("listboxWindow", () => {
  it("renders every option of a list no longer than the window", () => {
    expect(listboxWindow(0, 40, 200)).toEqual({ start: 0, end: 40 });
    expect(listboxWindow(39, 200, 200)).toEqual({ start: 0, end: 200 });
  });

  it("centres the active option in a long list, and stops at either end", () => {
    expect(listboxWindow(2_500, 5_000, 200)).toEqual({ start: 2_400, end: 2_600 });
    expect(listboxWindow(3, 5_000, 200)).toEqual({ start: 0, end: 200 });
    expect(listboxWindow(4_999, 5_000, 200)).toEqual({ start: 4_800, end: 5_000 });
  });
});

describe("listboxOrder", () => {
  const node = (kind: string, namespace: string, name: string, version: string | null = null) => ({ id: `${kind}~${namespace}~${name}~${version ?? ""}`, kind, namespace, name, version });

  it("lists a namespace's nodes together, by name and version, whatever their kind", () => {
    const nodes = [node("versionedApp", "bookinfo", "reviews", "v2"), node("service", "bookinfo", "reviews"), node("gateway", "istio-system", "istio-ingressgateway"), node("versionedApp", "bookinfo", "reviews", "v1"), node("service", "bookinfo", "details"), node("versionedApp", "bookinfo", "details", "v1")];
    expect(listboxOrder(nodes).map((entry) => entry.id)).toEqual([
      "service~bookinfo~details~",
      "versionedApp~bookinfo~details~v1",
      "service~bookinfo~reviews~",
      "versionedApp~bookinfo~reviews~v1",
      "versionedApp~bookinfo~reviews~v2",
      "gateway~istio-system~istio-ingressgateway~",
    ]);
  });

  it("leaves the given list as it was", () => {
    const nodes = [node("service", "b", "x"), node("service", "a", "y")];
    listboxOrder(nodes);
    expect(nodes.map((entry) => entry.namespace)).toEqual(["b", "a"]);
  });
});

describe("activeListIndex", () => {
  it("follows the node moved to when a refresh adds or removes nodes before it", () => {
    expect(activeListIndex(["a", "b", "c"], { id: "b", index: 1 }, null)).toBe(1);
    expect(activeListIndex(["new", "a", "b", "c"], { id: "b", index: 1 }, null)).toBe(2);
    expect(activeListIndex(["b", "c"], { id: "b", index: 1 }, null)).toBe(0);
  });

  it("stays at the old place, within the list, when the node left the graph", () => {
    expect(activeListIndex(["a", "c", "d"], { id: "b", index: 1 }, null)).toBe(1);
    expect(activeListIndex(["a"], { id: "z", index: 5 }, null)).toBe(0);
    expect(activeListIndex([], { id: "z", index: 5 }, null)).toBe(0);
  });

  it("starts at the node selected in the graph until the user moves", () => {
    expect(activeListIndex(["a", "b", "c"], { id: null, index: 0 }, "c")).toBe(2);
    expect(activeListIndex(["a", "b", "c"], { id: null, index: 0 }, "gone")).toBe(0);
    expect(activeListIndex(["a", "b", "c"], { id: "a", index: 0 }, "c")).toBe(0);
  });
});
