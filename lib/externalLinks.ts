/**
 * Links out to the tools an SRE opens next (a tracing UI such as Jaeger or Tempo through Grafana,
 * dashboards in Grafana or Perses), from URL templates the console is configured with. A template
 * names what it needs in braces (`{namespace}`, `{service}`, `{workload}`, `{app}`, and the page's
 * time window as `{fromMs}`/`{toMs}`, `{fromSeconds}`/`{toSeconds}`, `{fromMicros}`/`{toMicros}` or
 * `{window}`), and a page shows a template's link only when it can fill every placeholder: a
 * service dashboard on service pages, a workload dashboard on workload pages. Values are
 * percent-encoded, so a name cannot change the link's structure. Pure, for server and browser.
 */

export const LINK_PLACEHOLDERS = ["namespace", "service", "workload", "app", "window", "fromMs", "toMs", "fromSeconds", "toSeconds", "fromMicros", "toMicros"] as const;
export type LinkPlaceholder = (typeof LINK_PLACEHOLDERS)[number];

export type LinkKind = "traces" | "dashboard";

export interface LinkTemplates {
  traces: readonly string[];
  dashboards: readonly string[];
}

/** What a page knows: the object it shows and its time window. */
export interface LinkContext {
  namespace: string;
  service?: string;
  workload?: string;
  app?: string;
  /** The page's window, as written in its URL (`5m`, `1h`). */
  window: string;
  windowSeconds: number;
  nowMs: number;
}

export interface ExternalLink {
  kind: LinkKind;
  /** What a person reads: the kind of link and the host it goes to. */
  label: string;
  url: string;
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

function isPlaceholder(name: string): name is LinkPlaceholder {
  return (LINK_PLACEHOLDERS as readonly string[]).includes(name);
}

/** Every placeholder's value for the context; those the page does not know are absent. */
function valuesOf(context: LinkContext): Partial<Record<LinkPlaceholder, string>> {
  const toMs = context.nowMs;
  const fromMs = toMs - context.windowSeconds * 1000;
  return {
    namespace: context.namespace,
    service: context.service,
    workload: context.workload,
    app: context.app,
    window: context.window,
    fromMs: String(fromMs),
    toMs: String(toMs),
    fromSeconds: String(Math.floor(fromMs / 1000)),
    toSeconds: String(Math.floor(toMs / 1000)),
    fromMicros: String(fromMs * 1000),
    toMicros: String(toMs * 1000),
  };
}

/** The template filled for the context, or undefined when the page lacks one of its values. */
export function fillLinkTemplate(template: string, context: LinkContext): string | undefined {
  const values = valuesOf(context);
  let missing = false;
  const url = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = isPlaceholder(name) ? values[name] : undefined;
    if (value === undefined) missing = true;
    return encodeURIComponent(value ?? "");
  });
  return missing ? undefined : url;
}

/**
 * What is wrong with a template, or undefined: it must be an http(s) URL without credentials once
 * filled, and name only known placeholders.
 */
export function linkTemplateProblem(template: string): string | undefined {
  const unknown = placeholdersOf(template).filter((name) => !isPlaceholder(name));
  if (unknown.length > 0) return `unknown placeholder ${unknown.map((name) => `{${name}}`).join(", ")}; use ${LINK_PLACEHOLDERS.map((name) => `{${name}}`).join(", ")}`;
  const sample = template.replace(PLACEHOLDER, "x");
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http and https links are shown";
  if (url.username || url.password) return "credentials in a link would reach every browser that shows it";
  return undefined;
}

function labelOf(kind: LinkKind, url: string): string {
  return `${kind === "traces" ? "Traces" : "Dashboard"} (${new URL(url).host})`;
}

/** The links a page shows, in the order configured: traces first, then dashboards. */
export function externalLinks(templates: LinkTemplates, context: LinkContext): ExternalLink[] {
  const links: ExternalLink[] = [];
  const add = (kind: LinkKind, list: readonly string[]) => {
    for (const template of list) {
      const url = fillLinkTemplate(template, context);
      if (url !== undefined) links.push({ kind, label: labelOf(kind, url), url });
    }
  };
  add("traces", templates.traces);
  add("dashboard", templates.dashboards);
  return links;
}
