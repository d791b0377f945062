/**
 * The console's settings, read from environment variables (the `mesh-console` CLI turns its flags
 * into the same variables). Parsing is pure so every wrong value can be reported at once, naming
 * the setting and what was expected.
 */
import { parsePresetSetting, type FindPreset } from "@/lib/graph/findPresets";
import { z } from "zod";
import { readOpenIdSettings, readSessionSettings, type OpenIdSettings, type SessionSettings } from "@/server/auth/openid/settings";
import { readHeaderAuthSettings, type HeaderAuthSettings } from "@/server/auth/header/headerIdentity";
import { parseAddressBlock } from "@/server/http/addresses";
import { hasUserInfo, redactUserInfo } from "@/server/http/redaction";
import { ALLOWED_HOSTS_SETTING, splitHost } from "@/server/http/servedHosts";
import { DEFAULT_HEALTH_THRESHOLDS, mergeHealthThresholds, parseHealthThresholds, type HealthRule } from "@/lib/health";
import { linkTemplateProblem, type LinkTemplates } from "@/lib/externalLinks";
import { ROUTING_APIS, routingApiSchema, type RoutingApi } from "@/lib/routing/schemas";
import { isRefreshInterval, isTimeWindow, REFRESH_INTERVALS, TIME_WINDOWS, type RefreshInterval, type TimeWindow } from "@/lib/timeWindows";

export type AuthMode = "anonymous" | "token" | "openid" | "header";

export interface PrometheusSettings {
  url: string;
  timeoutMs: number;
  bearerTokenFile?: string;
  basicAuth?: { username: string; passwordFile: string };
  caFile?: string;
  insecureSkipVerify: boolean;
  headers: Record<string, string>;
}

export interface KubernetesSettings {
  /** "in-cluster" uses the pod's service account; "kubeconfig" the file(s) in KUBECONFIG or ~/.kube/config. */
  source: "in-cluster" | "kubeconfig";
  kubeconfigPath?: string;
  context?: string;
  timeoutMs: number;
}

export interface ConsoleConfig {
  listen: { address: string; port: number };
  /** Names besides the loopback ones and the listen address that the console is served as (server/http/servedHosts.ts). */
  allowedHosts: string[];
  /** Proxies (addresses or CIDR blocks) whose X-Forwarded-For is believed when telling clients apart. */
  trustedProxies: string[];
  /** URL templates of links out to a tracing UI and dashboards (lib/externalLinks.ts). */
  links: LinkTemplates;
  basePath: string;
  auth: { mode: AuthMode; allowAnonymousOnAnyAddress: boolean; openid?: OpenIdSettings; header?: HeaderAuthSettings; sessions: SessionSettings };
  viewOnly: boolean;
  defaults: { refresh: RefreshInterval; window: TimeWindow };
  prometheus: PrometheusSettings;
  kubernetes: KubernetesSettings;
  /** Health rules for every object unless its annotations or its namespace's say otherwise (lib/health.ts). */
  healthThresholds: HealthRule[];
  /** What the traffic wizards create for a service that has no routing yet (lib/routing/schemas.ts ROUTING_APIS). */
  defaultRoutingApi: RoutingApi;
  /** Find/hide presets offered on the graph page (lib/graph/findPresets.ts), from MESH_CONSOLE_GRAPH_PRESETS. */
  graphPresets: FindPreset[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`mesh-console cannot start: ${problems.length === 1 ? "a setting is" : "settings are"} wrong\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** `MESH_CONSOLE_HEALTH_THRESHOLDS`: rules replacing the defaults' rule of the same codes, as annotations do (lib/health.ts). */
function readHealthThresholds(env: Env, problems: string[]): HealthRule[] {
  const { rules, problems: wrong } = parseHealthThresholds(env.MESH_CONSOLE_HEALTH_THRESHOLDS ?? "");
  for (const problem of wrong) problems.push(`MESH_CONSOLE_HEALTH_THRESHOLDS: ${problem}; the format is rule;rule… with rule = [http:|grpc:]codes=degraded%/failing% or codes=ignore, such as failed=0.1%/20%;http:4xx=10%/-`);
  return mergeHealthThresholds(DEFAULT_HEALTH_THRESHOLDS, rules);
}

/** `MESH_CONSOLE_DEFAULT_ROUTING_API`: the API the wizards preselect for a service with no routing. */
function readDefaultRoutingApi(env: Env, problems: string[]): RoutingApi {
  const raw = env.MESH_CONSOLE_DEFAULT_ROUTING_API || "virtualservice";
  const parsed = routingApiSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  problems.push(`MESH_CONSOLE_DEFAULT_ROUTING_API: expected ${ROUTING_APIS.join(" or ")}, got ${JSON.stringify(raw)}`);
  return "virtualservice";
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, "1": true, yes: true, false: false, "0": false, no: false };
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function readBoolean(env: Env, name: string, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return false;
  const value = BOOLEAN_WORDS[raw.toLowerCase()];
  if (value === undefined) {
    problems.push(`${name}: expected true or false, got ${JSON.stringify(raw)}`);
    return false;
  }
  return value;
}

function readDurationMs(env: Env, name: string, fallbackMs: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallbackMs;
  const match = /^(\d+)(ms|s)$/.exec(raw);
  const ms = match ? Number(match[1]) * (match[2] === "s" ? 1000 : 1) : NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > 300_000) {
    problems.push(`${name}: expected a duration between 100ms and 300s such as 10s or 2500ms, got ${JSON.stringify(raw)}`);
    return fallbackMs;
  }
  return ms;
}

/** `Name: value` pairs separated by newlines or `;`, the way proxies' docs usually write them. */
export function parseHeaderList(raw: string): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of raw.split(/[\n;]/).map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(":");
    const name = colon > 0 ? entry.slice(0, colon).trim() : "";
    const value = colon > 0 ? entry.slice(colon + 1).trim() : "";
    if (!HEADER_NAME.test(name) || value === "" || /[\r\n]/.test(value)) {
      problems.push(`PROMETHEUS_HEADERS: expected "Name: value" pairs separated by ';', got ${JSON.stringify(entry)}`);
      continue;
    }
    headers[name] = value;
  }
  return { headers, problems };
}

const urlSchema = z.url({ protocol: /^https?$/ });

function readPrometheus(env: Env, problems: string[]): PrometheusSettings {
  const url = env.PROMETHEUS_URL || "http://127.0.0.1:9090";
  if (hasUserInfo(url)) {
    // Credentials in the URL would travel into every error, log line and probe answer that names Prometheus.
    problems.push(`PROMETHEUS_URL: must not carry credentials (user:password@), got ${JSON.stringify(redactUserInfo(url))}; use PROMETHEUS_BASIC_AUTH_USER with PROMETHEUS_BASIC_AUTH_PASSWORD_FILE, or PROMETHEUS_BEARER_TOKEN_FILE`);
  } else if (!urlSchema.safeParse(url).success) {
    problems.push(`PROMETHEUS_URL: expected an http(s) URL such as http://prometheus.istio-system:9090, got ${JSON.stringify(url)}`);
  }
  const { headers, problems: headerProblems } = parseHeaderList(env.PROMETHEUS_HEADERS ?? "");
  problems.push(...headerProblems);

  const username = env.PROMETHEUS_BASIC_AUTH_USER;
  const passwordFile = env.PROMETHEUS_BASIC_AUTH_PASSWORD_FILE;
  if (Boolean(username) !== Boolean(passwordFile)) {
    problems.push("PROMETHEUS_BASIC_AUTH_USER and PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: set both or neither");
  }
  if (username && env.PROMETHEUS_BEARER_TOKEN_FILE) {
    problems.push("PROMETHEUS_BEARER_TOKEN_FILE and PROMETHEUS_BASIC_AUTH_USER: choose one way to authenticate to Prometheus");
  }
  return {
    url: url.replace(/\/+$/, ""),
    timeoutMs: readDurationMs(env, "PROMETHEUS_TIMEOUT", 10_000, problems),
    bearerTokenFile: env.PROMETHEUS_BEARER_TOKEN_FILE || undefined,
    basicAuth: username && passwordFile ? { username, passwordFile } : undefined,
    caFile: env.PROMETHEUS_CA_FILE || undefined,
    insecureSkipVerify: readBoolean(env, "PROMETHEUS_INSECURE_SKIP_VERIFY", problems),
    headers,
  };
}

function readKubernetes(env: Env, problems: string[]): KubernetesSettings {
  const requested = env.MESH_CONSOLE_KUBE_SOURCE || "auto";
  if (!["auto", "in-cluster", "kubeconfig"].includes(requested)) {
    problems.push(`MESH_CONSOLE_KUBE_SOURCE: expected auto, in-cluster or kubeconfig, got ${JSON.stringify(requested)}`);
  }
  // In a pod, Kubernetes sets KUBERNETES_SERVICE_HOST; a kubeconfig given explicitly still wins.
  const inPod = Boolean(env.KUBERNETES_SERVICE_HOST) && !env.KUBECONFIG;
  const source = requested === "in-cluster" || (requested === "auto" && inPod) ? "in-cluster" : "kubeconfig";
  if (source === "in-cluster" && env.KUBE_CONTEXT) {
    problems.push("KUBE_CONTEXT: a context only applies to a kubeconfig, but the console is using its in-cluster service account");
  }
  return {
    source,
    kubeconfigPath: env.KUBECONFIG || undefined,
    context: env.KUBE_CONTEXT || undefined,
    timeoutMs: readDurationMs(env, "KUBE_TIMEOUT", 5_000, problems),
  };
}

function listOf(raw: string | undefined): string[] {
  return (raw ?? "").split(/[\s,]+/).map((entry) => entry.trim()).filter(Boolean);
}

function readAllowedHosts(env: Env, problems: string[]): string[] {
  const entries = listOf(env[ALLOWED_HOSTS_SETTING]).map((entry) => entry.toLowerCase());
  const wrong = entries.filter((entry) => !splitHost(entry));
  if (wrong.length > 0) {
    problems.push(`${ALLOWED_HOSTS_SETTING}: expected host names or host:port pairs separated by commas, such as mesh.example.com,mesh-console.istio-system:20001, got ${wrong.map((entry) => JSON.stringify(entry)).join(", ")}`);
  }
  return entries.filter((entry) => splitHost(entry));
}

/** Templates separated by whitespace (a URL has none), each checked as the links it will make. */
function readLinkTemplates(env: Env, name: string, problems: string[]): string[] {
  const templates = listOfWhitespace(env[name]);
  for (const template of templates) {
    const problem = linkTemplateProblem(template);
    if (problem) problems.push(`${name}: ${JSON.stringify(redactUserInfo(template))}: ${problem}`);
  }
  return templates.filter((template) => !linkTemplateProblem(template));
}

function listOfWhitespace(raw: string | undefined): string[] {
  return (raw ?? "").split(/\s+/).filter(Boolean);
}

function readGraphPresets(env: Env, problems: string[]): FindPreset[] {
  const { presets, problems: wrong } = parsePresetSetting(env.MESH_CONSOLE_GRAPH_PRESETS ?? "");
  for (const problem of wrong) problems.push(`MESH_CONSOLE_GRAPH_PRESETS: ${problem}`);
  return presets;
}

function readTrustedProxies(env: Env, problems: string[]): string[] {
  const entries = listOf(env.MESH_CONSOLE_TRUSTED_PROXIES);
  const wrong = entries.filter((entry) => !parseAddressBlock(entry));
  if (wrong.length > 0) {
    problems.push(`MESH_CONSOLE_TRUSTED_PROXIES: expected IP addresses or CIDR blocks separated by commas, such as 10.0.0.0/8,192.168.1.7, got ${wrong.map((entry) => JSON.stringify(entry)).join(", ")}`);
  }
  return entries.filter((entry) => parseAddressBlock(entry));
}

/**
 * The address the server really binds. The standalone server (the image's `node server.js`, which
 * sets __NEXT_PRIVATE_STANDALONE_CONFIG) binds HOSTNAME, or every interface without it; the
 * console's own setting must then agree with it, or the loopback rule below would check one
 * address while another is bound. `next start` takes its address as a flag, which `mesh-console
 * serve` and the demo pass from the same setting; a socket on a non-loopback address is refused
 * per request in anonymous mode anyway (proxy.ts).
 */
function readListenAddress(env: Env, problems: string[]): string {
  const standalone = Boolean(env.__NEXT_PRIVATE_STANDALONE_CONFIG);
  const configured = env.MESH_CONSOLE_ADDRESS;
  if (!standalone) return configured || "127.0.0.1";
  const bound = env.HOSTNAME || "0.0.0.0";
  if (configured && configured !== bound) {
    problems.push(`MESH_CONSOLE_ADDRESS and HOSTNAME disagree: the server binds HOSTNAME (${JSON.stringify(bound)}${env.HOSTNAME ? "" : ", every interface, as HOSTNAME is unset"}) but MESH_CONSOLE_ADDRESS says ${JSON.stringify(configured)}; set both to the same address`);
  }
  return bound;
}

export function parseConfig(env: Env): ConsoleConfig {
  const problems: string[] = [];

  const address = readListenAddress(env, problems);
  if (!/^[A-Za-z0-9.:-]+$/.test(address)) {
    problems.push(`MESH_CONSOLE_ADDRESS: expected an IP address or host name such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(address)}`);
  }
  const portRaw = env.MESH_CONSOLE_PORT || "20001";
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) {
    problems.push(`MESH_CONSOLE_PORT: expected a port number from 1 to 65535, got ${JSON.stringify(portRaw)}`);
  }

  const basePath = (env.MESH_CONSOLE_BASE_PATH ?? "").replace(/\/+$/, "");
  if (basePath !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    problems.push(`MESH_CONSOLE_BASE_PATH: expected a path such as /mesh-console (no query, no trailing slash), got ${JSON.stringify(env.MESH_CONSOLE_BASE_PATH)}`);
  }

  const authMode = env.MESH_CONSOLE_AUTH || "anonymous";
  if (authMode !== "anonymous" && authMode !== "token" && authMode !== "openid" && authMode !== "header") {
    problems.push(`MESH_CONSOLE_AUTH: expected anonymous, token, openid or header, got ${JSON.stringify(authMode)}`);
  }
  const openid = authMode === "openid" ? readOpenIdSettings(env, problems) : undefined;
  const header = authMode === "header" ? readHeaderAuthSettings(env, problems) : undefined;
  const sessions = readSessionSettings(env, problems);

  const refresh = env.MESH_CONSOLE_REFRESH || "10s";
  if (!isRefreshInterval(refresh)) {
    problems.push(`MESH_CONSOLE_REFRESH: expected one of ${REFRESH_INTERVALS.join(", ")}, got ${JSON.stringify(refresh)}`);
  }
  const window = env.MESH_CONSOLE_WINDOW || "5m";
  if (!isTimeWindow(window)) {
    problems.push(`MESH_CONSOLE_WINDOW: expected one of ${TIME_WINDOWS.join(", ")}, got ${JSON.stringify(window)}`);
  }

  const config: ConsoleConfig = {
    listen: { address, port },
    allowedHosts: readAllowedHosts(env, problems),
    trustedProxies: readTrustedProxies(env, problems),
    links: { traces: readLinkTemplates(env, "MESH_CONSOLE_TRACING_LINKS", problems), dashboards: readLinkTemplates(env, "MESH_CONSOLE_DASHBOARD_LINKS", problems) },
    basePath,
    auth: {
      mode: authMode === "token" || authMode === "openid" || authMode === "header" ? authMode : "anonymous",
      allowAnonymousOnAnyAddress: readBoolean(env, "MESH_CONSOLE_ALLOW_ANONYMOUS_ON_ANY_ADDRESS", problems),
      openid,
      header,
      sessions,
    },
    viewOnly: readBoolean(env, "MESH_CONSOLE_VIEW_ONLY", problems),
    defaults: {
      refresh: isRefreshInterval(refresh) ? refresh : "10s",
      window: isTimeWindow(window) ? window : "5m",
    },
    prometheus: readPrometheus(env, problems),
    kubernetes: readKubernetes(env, problems),
    healthThresholds: readHealthThresholds(env, problems),
    defaultRoutingApi: readDefaultRoutingApi(env, problems),
    graphPresets: readGraphPresets(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
