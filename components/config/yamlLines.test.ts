import { describe, expect, it } from "vitest";
import { highlightLine, lineOfPath, pathSegments } from "./yamlLines";

const catalog = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catalog
  namespace: mesh-lab
  annotations:
    sidecar.istio.io/inject: "true"
spec:
  hosts:
  - catalog
  http:
  - route:
    - destination:
        host: catalog
        subset: v1
      weight: 90
    - destination:
        host: catalog
        subset: v2
      weight: 10
`;

describe("finding paths on YAML lines", () => {
  it("splits Kubernetes field paths", () => {
    expect(pathSegments("spec.http[0].route[1].destination.subset")).toEqual(["spec", "http", 0, "route", 1, "destination", "subset"]);
  });

  it("marks the line of the field a finding names", () => {
    expect(lineOfPath(catalog, "spec.http[0].route[1].destination.subset")).toBe(19);
    expect(lineOfPath(catalog, "spec.http[0].route[0].weight")).toBe(16);
    expect(lineOfPath(catalog, "spec.hosts[0]")).toBe(10);
  });

  it("finds keys that contain dots, such as annotation names", () => {
    expect(lineOfPath(catalog, "metadata.annotations.sidecar.istio.io/inject")).toBe(7);
  });

  it("falls back to the nearest parent when the field is missing, and gives up on broken YAML", () => {
    expect(lineOfPath(catalog, "spec.http[0].route[1].destination.port.number")).toBe(17);
    expect(lineOfPath("spec: [unclosed", "spec")).toBeUndefined();
    expect(lineOfPath(catalog, "")).toBeUndefined();
  });
});

describe("highlighting", () => {
  it("tells keys, values and comments apart", () => {
    expect(highlightLine("    subset: v2 # not defined")).toEqual([
      { text: "    ", kind: "punctuation" },
      { text: "subset", kind: "key" },
      { text: ":", kind: "punctuation" },
      { text: " ", kind: "plain" },
      { text: "v2", kind: "string" },
      { text: " # not defined", kind: "comment" },
    ]);
    expect(highlightLine("      weight: 90").at(-1)).toEqual({ text: "90", kind: "number" });
    expect(highlightLine("  - catalog").map((token) => token.kind)).toEqual(["punctuation", "string"]);
    expect(highlightLine("    - destination:").find((token) => token.kind === "key")?.text).toBe("destination");
  });
});
