import { describe, expect, it } from "vitest";
import { jsonError } from "./errors";
import { hasUserInfo, redactUserInfo } from "./redaction";

describe("credentials in URLs", () => {
  it("finds them, and only them", () => {
    expect(hasUserInfo("https://admin:s3cret@prometheus:9090")).toBe(true);
    expect(hasUserInfo("https://token@prometheus:9090/api")).toBe(true);
    expect(hasUserInfo("https://prometheus:9090/api?to=a@b")).toBe(false);
    expect(hasUserInfo("http://prometheus:9090")).toBe(false);
  });

  it("replaces them wherever a URL sits in a message", () => {
    expect(redactUserInfo('Prometheus at "https://admin:s3cret@prom:9090" answered 500; see http://ok:1/')).toBe('Prometheus at "https://***@prom:9090" answered 500; see http://ok:1/');
    expect(redactUserInfo("mailto-like a@b and https://x/y@z stay")).toBe("mailto-like a@b and https://x/y@z stay");
  });

  it("are never in an error answer, message or field", async () => {
    const response = jsonError(502, { message: "Kubernetes API at https://kube:pw@10.0.0.1:6443 could not be reached", fields: [{ field: "spec", message: "see https://u:p@example.com" }] });
    const text = await response.text();
    expect(text).not.toContain("kube:pw");
    expect(text).not.toContain("u:p@");
    expect(JSON.parse(text).error.message).toBe("Kubernetes API at https://***@10.0.0.1:6443 could not be reached");
  });
});
