"use client";

import { useState, type MouseEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useViewState } from "@/components/layout/ViewStateContext";
import { fetchJson } from "@/lib/apiClient";
import { externalLinks, type LinkContext } from "@/lib/externalLinks";
import { settingsSchema } from "@/lib/mesh";
import { queryKeys } from "@/lib/queryKeys";
import { durationSeconds } from "@/lib/timeWindows";

type Target = Pick<LinkContext, "namespace" | "service" | "workload" | "app">;

/**
 * "Traces" and "Dashboard" links for the object a page shows, over the page's window, from the
 * templates the console is configured with (MESH_CONSOLE_TRACING_LINKS, MESH_CONSOLE_DASHBOARD_LINKS).
 * Nothing at all when none applies, so a console without them shows no empty section.
 */
export function ExternalLinks({ target }: { target: Target }) {
  const { state } = useViewState();
  const settings = useQuery({ queryKey: queryKeys.settings(), queryFn: () => fetchJson("/api/settings", settingsSchema), staleTime: 5 * 60_000 });
  // The window ends when the page was shown; a click renews it, so a link opened later still ends "now".
  const [shownAt] = useState(() => Date.now());
  if (!settings.data) return null;
  const templates = settings.data.links;
  const context = (nowMs: number): LinkContext => ({ ...target, window: state.window, windowSeconds: durationSeconds(state.window) ?? 300, nowMs });
  const links = externalLinks(templates, context(shownAt));
  if (links.length === 0) return null;
  const renew = (index: number) => (event: MouseEvent<HTMLAnchorElement>) => {
    const fresh = externalLinks(templates, context(Date.now()))[index];
    if (fresh) event.currentTarget.href = fresh.url;
  };
  return (
    <nav aria-label="Open in other tools" className="external-links">
      {links.map((link, index) => (
        <a key={link.url} href={link.url} onClick={renew(index)} onAuxClick={renew(index)} target="_blank" rel="noopener noreferrer" className="inline-link" data-link-kind={link.kind}>
          {link.label}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      ))}
    </nav>
  );
}
