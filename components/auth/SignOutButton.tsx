"use client";

import { apiPath } from "@/lib/apiClient";

/** Ends the session and returns to the sign-in page; for the top bar when token sign-in is on. */
export function SignOutButton() {
  async function signOut() {
    await fetch(apiPath("/api/auth/logout"), { method: "POST", headers: { "content-type": "application/json", "x-mesh-console": "1" }, body: "{}" }).catch(() => undefined);
    window.location.assign(apiPath("/login"));
  }
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  );
}
