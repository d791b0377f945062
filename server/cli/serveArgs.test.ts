import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config/schema";
import { serveEnvironment } from "./serveArgs";

describe("serveEnvironment", () => {
  it("turns flags into the settings the server reads", () => {
    const env = serveEnvironment(["--context", "prod-eu", "--prometheus-url", "http://thanos:10902", "--view-only", "--port", "8080"]);
    const config = parseConfig(env);
    expect(config.kubernetes.context).toBe("prod-eu");
    expect(config.prometheus.url).toBe("http://thanos:10902");
    expect(config.viewOnly).toBe(true);
    expect(config.listen.port).toBe(8080);
  });

  it("takes the names it answers to and the proxies it trusts", () => {
    const config = parseConfig(serveEnvironment(["--allowed-hosts", "mesh.example.com", "--trusted-proxies", "10.0.0.0/8"]));
    expect(config.allowedHosts).toEqual(["mesh.example.com"]);
    expect(config.trustedProxies).toEqual(["10.0.0.0/8"]);
  });

  it("takes health rules, and refuses wrong ones naming the setting", () => {
    expect(() => parseConfig(serveEnvironment(["--health-thresholds", "http:4xx=10%/-"]))).not.toThrow();
    expect(() => parseConfig(serveEnvironment(["--health-thresholds", "4xx=lots"]))).toThrow(/MESH_CONSOLE_HEALTH_THRESHOLDS/);
  });

  it("refuses a flag it does not know", () => {
    expect(() => serveEnvironment(["--contxt", "prod"])).toThrow(/Unknown option '--contxt'/);
  });
});
