"use client";

import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/SignOutButton";
import type { ViewDefaults } from "@/lib/urlState";
import { NamespaceSelector } from "./NamespaceSelector";
import { NavLinks } from "./NavLinks";
import { QueryProvider } from "./QueryProvider";
import { RefreshPicker, TimeWindowPicker } from "./TimePickers";
import { useViewState, ViewStateProvider } from "./ViewStateContext";

function UrlProblems() {
  const { problems } = useViewState();
  if (problems.length === 0) return null;
  return (
    <div className="state state-stale" role="status">
      {problems.map((problem) => (
        <div key={problem}>{problem}</div>
      ))}
    </div>
  );
}

export function AppShell({ defaults, viewOnly, signedIn, children }: { defaults: ViewDefaults; viewOnly: boolean; signedIn: boolean; children: ReactNode }) {
  return (
    <QueryProvider>
      <ViewStateProvider defaults={defaults} viewOnly={viewOnly}>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand">mesh-console</span>
          <NavLinks />
          <div className="toolbar" role="toolbar" aria-label="View settings">
            <NamespaceSelector />
            <TimeWindowPicker />
            <RefreshPicker />
            {viewOnly ? <span className="badge">View only</span> : null}
            {signedIn ? <SignOutButton /> : null}
          </div>
        </header>
        <main id="main" className="content">
          <UrlProblems />
          {children}
        </main>
      </ViewStateProvider>
    </QueryProvider>
  );
}
