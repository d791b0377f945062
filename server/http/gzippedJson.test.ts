import { describe, expect, it } from "vitest";
import { prefersGzippedJson } from "./gzippedJson";

const asking = (accept?: string) => new Request("http://console.test/api/graph", accept === undefined ? {} : { headers: { accept } });

describe("prefersGzippedJson", () => {
  it("sends the gzip file to the console's own page, which asks for it first", () => {
    expect(prefersGzippedJson(asking("application/gzip, application/json;q=0.9"))).toBe(true);
  });

  it("sends plain JSON to clients that ask for JSON, anything, or nothing in particular", () => {
    expect(prefersGzippedJson(asking("application/json"))).toBe(false);
    expect(prefersGzippedJson(asking("*/*"))).toBe(false);
    expect(prefersGzippedJson(asking())).toBe(false);
    expect(prefersGzippedJson(asking("application/json, application/gzip;q=0.5"))).toBe(false);
  });

  it("sends plain JSON when the gzip file is refused outright", () => {
    expect(prefersGzippedJson(asking("application/gzip;q=0, */*"))).toBe(false);
  });
});
