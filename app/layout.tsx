import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import { AppShell } from "@/components/layout/AppShell";
import { getConfig } from "@/server/config";
import "./globals.css";

// The defaults come from the running server's configuration, not from build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "mesh-console",
  description: "A console for Istio service meshes",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = getConfig();
  return (
    <html lang="en">
      <body>
        <Suspense fallback={<div className="state state-loading">Loading…</div>}>
          <AppShell defaults={config.defaults} viewOnly={config.viewOnly} signedIn={config.auth.mode !== "anonymous" && config.auth.mode !== "header"}>
            {children}
          </AppShell>
        </Suspense>
      </body>
    </html>
  );
}
