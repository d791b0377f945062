import { describe, expect, it } from "vitest";
import { externalLinks, fillLinkTemplate, linkTemplateProblem, type LinkContext } from "./externalLinks";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const servicePage: LinkContext = { namespace: "bookinfo", service: "reviews", window: "1h", windowSeconds: 3600, nowMs: NOW };
const workloadPage: LinkContext = { namespace: "bookinfo", workload: "reviews-v2", window: "5m", windowSeconds: 300, nowMs: NOW };

const JAEGER = "https://jaeger.example.com/search?service={service}.{namespace}&start={fromMicros}&end={toMicros}";
const GRAFANA_SERVICE = "https://grafana.example.com/d/istio-service?var-service={service}.{namespace}.svc.cluster.local&from={fromMs}&to={toMs}";
const GRAFANA_WORKLOAD = "https://grafana.example.com/d/istio-workload?var-namespace={namespace}&var-workload={workload}&from={fromMs}&to={toMs}";

describe("external links", () => {
  it("fills a tracing link with the service and the page's window", () => {
    expect(fillLinkTemplate(JAEGER, servicePage)).toBe(`https://jaeger.example.com/search?service=reviews.bookinfo&start=${(NOW - 3_600_000) * 1000}&end=${NOW * 1000}`);
  });

  it("shows each template only where the page can fill it: service dashboards on service pages, workload dashboards on workload pages", () => {
    const templates = { traces: [JAEGER], dashboards: [GRAFANA_SERVICE, GRAFANA_WORKLOAD] };
    expect(externalLinks(templates, servicePage).map((link) => link.label)).toEqual(["Traces (jaeger.example.com)", "Dashboard (grafana.example.com)"]);
    expect(externalLinks(templates, workloadPage).map((link) => link.url)).toEqual([`https://grafana.example.com/d/istio-workload?var-namespace=bookinfo&var-workload=reviews-v2&from=${NOW - 300_000}&to=${NOW}`]);
  });

  it("shows nothing when nothing is configured", () => {
    expect(externalLinks({ traces: [], dashboards: [] }, servicePage)).toEqual([]);
  });

  it("percent-encodes values, so a name cannot add a parameter or change the host", () => {
    const url = fillLinkTemplate("https://tools.example.com/{app}?ns={namespace}", { ...servicePage, app: "a&b=c/../x" });
    expect(url).toBe("https://tools.example.com/a%26b%3Dc%2F..%2Fx?ns=bookinfo");
  });

  it("refuses templates a person could not use safely, naming why", () => {
    expect(linkTemplateProblem(JAEGER)).toBeUndefined();
    expect(linkTemplateProblem("https://grafana.example.com/d/x?var={pod}")).toMatch(/^unknown placeholder \{pod\}/);
    expect(linkTemplateProblem("javascript:alert({service})")).toBe("only http and https links are shown");
    expect(linkTemplateProblem("https://admin:secret@grafana.example.com/")).toMatch(/credentials/);
    expect(linkTemplateProblem("grafana/{service}")).toBe("not a URL");
  });
});
