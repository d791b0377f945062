import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseHeaderList } from "./schema";

describe("parseConfig", () => {
  it("starts with loopback defaults when nothing is set", () => {
    const config = parseConfig({});
    expect(config.listen).toEqual({ address: "127.0.0.1", port: 20001 });
    expect(config.prometheus.url).toBe("http://127.0.0.1:9090");
    expect(config.kubernetes.source).toBe("kubeconfig");
    expect(config.defaults).toEqual({ refresh: "10s", window: "5m" });
    expect(config.auth.mode).toBe("anonymous");
  });

  it("uses the service account inside a pod unless a kubeconfig is given", () => {
    expect(parseConfig({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }).kubernetes.source).toBe("in-cluster");
    expect(parseConfig({ KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBECONFIG: "/tmp/kc" }).kubernetes.source).toBe("kubeconfig");
  });

  it("reads what production Prometheus setups need", () => {
    const config = parseConfig({
      PROMETHEUS_URL: "https://thanos.monitoring:10902/",
      PROMETHEUS_BEARER_TOKEN_FILE: "/var/run/secrets/token",
      PROMETHEUS_CA_FILE: "/etc/ca.pem",
      PROMETHEUS_HEADERS: "X-Scope-OrgID: mesh; X-Extra: a:b",
      PROMETHEUS_TIMEOUT: "30s",
    });
    expect(config.prometheus).toMatchObject({
      url: "https://thanos.monitoring:10902",
      bearerTokenFile: "/var/run/secrets/token",
      caFile: "/etc/ca.pem",
      timeoutMs: 30_000,
      headers: { "X-Scope-OrgID": "mesh", "X-Extra": "a:b" },
    });
  });

  it("names every wrong setting and what it expected, all at once", () => {
    let error: unknown;
    try {
      parseConfig({ MESH_CONSOLE_PORT: "http", PROMETHEUS_URL: "prometheus:9090", MESH_CONSOLE_WINDOW: "2w", MESH_CONSOLE_VIEW_ONLY: "maybe", PROMETHEUS_BASIC_AUTH_USER: "me" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toContain('MESH_CONSOLE_PORT: expected a port number from 1 to 65535, got "http"');
    expect(problems).toContain("PROMETHEUS_URL: expected an http(s) URL");
    expect(problems).toContain("MESH_CONSOLE_WINDOW: expected one of 1m, 5m");
    expect(problems).toContain("MESH_CONSOLE_VIEW_ONLY: expected true or false");
    expect(problems).toContain("PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: set both or neither");
  });
});

describe("parseConfig: the routing API the wizards preselect", () => {
  it("is the VirtualService unless MESH_CONSOLE_DEFAULT_ROUTING_API says gateway-api, and names a wrong value", () => {
    expect(parseConfig({}).defaultRoutingApi).toBe("virtualservice");
    expect(parseConfig({ MESH_CONSOLE_DEFAULT_ROUTING_API: "gateway-api" }).defaultRoutingApi).toBe("gateway-api");
    expect(() => parseConfig({ MESH_CONSOLE_DEFAULT_ROUTING_API: "httproute" })).toThrow(/MESH_CONSOLE_DEFAULT_ROUTING_API: expected virtualservice or gateway-api, got "httproute"/);
  });
});

describe("parseConfig: what the console is served as, and behind what", () => {
  it("reads allowed host names and trusted proxies, and names the wrong entries", () => {
    const config = parseConfig({ MESH_CONSOLE_ALLOWED_HOSTS: "Mesh.Example.com, mesh-console.istio-system:20001", MESH_CONSOLE_TRUSTED_PROXIES: "10.0.0.0/8,192.168.1.7" });
    expect(config.allowedHosts).toEqual(["mesh.example.com", "mesh-console.istio-system:20001"]);
    expect(config.trustedProxies).toEqual(["10.0.0.0/8", "192.168.1.7"]);
    expect(() => parseConfig({ MESH_CONSOLE_ALLOWED_HOSTS: "https://mesh.example.com/" })).toThrow(/MESH_CONSOLE_ALLOWED_HOSTS: expected host names .* got "https:\/\/mesh.example.com\/"/);
    expect(() => parseConfig({ MESH_CONSOLE_TRUSTED_PROXIES: "10.0.0.0/64" })).toThrow(/MESH_CONSOLE_TRUSTED_PROXIES: expected IP addresses or CIDR blocks/);
  });

  it("refuses a Prometheus URL with credentials in it, without repeating them", () => {
    let error: unknown;
    try {
      parseConfig({ PROMETHEUS_URL: "https://admin:s3cret@prometheus.example:9090" });
    } catch (caught) {
      error = caught;
    }
    const message = (error as ConfigError).message;
    expect(message).toContain("PROMETHEUS_URL: must not carry credentials");
    expect(message).toContain("PROMETHEUS_BASIC_AUTH_USER");
    expect(message).not.toContain("s3cret");
  });

  it("takes the address the standalone server binds (HOSTNAME, else every interface), and stops when the settings disagree", () => {
    const standalone = { __NEXT_PRIVATE_STANDALONE_CONFIG: "{}" };
    expect(parseConfig({ ...standalone, MESH_CONSOLE_AUTH: "token" }).listen.address).toBe("0.0.0.0");
    expect(parseConfig({ ...standalone, HOSTNAME: "127.0.0.1" }).listen.address).toBe("127.0.0.1");
    expect(parseConfig({ ...standalone, HOSTNAME: "0.0.0.0", MESH_CONSOLE_ADDRESS: "0.0.0.0" }).listen.address).toBe("0.0.0.0");
    expect(() => parseConfig({ ...standalone, MESH_CONSOLE_ADDRESS: "127.0.0.1" })).toThrow(/MESH_CONSOLE_ADDRESS and HOSTNAME disagree: the server binds HOSTNAME \("0.0.0.0", every interface, as HOSTNAME is unset\)/);
    // Outside the standalone server HOSTNAME is the shell's, not a listen address.
    expect(parseConfig({ HOSTNAME: "build-box" }).listen.address).toBe("127.0.0.1");
  });
});

describe("parseConfig: health thresholds", () => {
  it("keeps today's rule when nothing is set: failed requests degrade at 0.1 % and fail at 20 %", () => {
    expect(parseConfig({}).healthThresholds).toEqual([{ protocol: "any", codes: ["failed"], degraded: 0.001, failing: 0.2, ignore: false }]);
  });

  it("adds rules per status-code class and protocol, and replaces the default rule of the same codes", () => {
    const rules = parseConfig({ MESH_CONSOLE_HEALTH_THRESHOLDS: "failed=1%/10%; http:4xx=10%/-" }).healthThresholds;
    expect(rules).toEqual([
      { protocol: "any", codes: ["failed"], degraded: 0.01, failing: 0.1, ignore: false },
      { protocol: "http", codes: ["4xx"], degraded: 0.1, failing: null, ignore: false },
    ]);
  });

  it("names a wrong rule and the format", () => {
    expect(() => parseConfig({ MESH_CONSOLE_HEALTH_THRESHOLDS: "tcp:5xx=1%/2%" })).toThrow(/MESH_CONSOLE_HEALTH_THRESHOLDS: unknown protocol "tcp".*the format is/);
  });
});

describe("parseConfig: links out", () => {
  it("reads tracing and dashboard templates separated by whitespace, and names a wrong one", () => {
    const config = parseConfig({
      MESH_CONSOLE_TRACING_LINKS: "https://jaeger.example.com/search?service={service}.{namespace}",
      MESH_CONSOLE_DASHBOARD_LINKS: "https://grafana.example.com/d/s?var-service={service}\n  https://grafana.example.com/d/w?var-workload={workload}",
    });
    expect(config.links.traces).toHaveLength(1);
    expect(config.links.dashboards).toHaveLength(2);
    expect(parseConfig({}).links).toEqual({ traces: [], dashboards: [] });
    expect(() => parseConfig({ MESH_CONSOLE_DASHBOARD_LINKS: "https://grafana.example.com/d/x?pod={pod}" })).toThrow(/MESH_CONSOLE_DASHBOARD_LINKS: .*unknown placeholder \{pod\}/);
  });
});

describe("parseHeaderList", () => {
  it("refuses header lines that could smuggle a second header", () => {
    expect(parseHeaderList("Bad Name: x").problems).toHaveLength(1);
    expect(parseHeaderList("X-Ok:").problems).toHaveLength(1);
  });
});
