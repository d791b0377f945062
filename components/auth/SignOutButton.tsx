"use client";

import { sessionChangeSchema } from "@/lib/api/auth";
import { apiPath, sendJson } from "@/lib/apiClient";

/** Ends the session and returns to the sign-in page; for the top bar when token sign-in is on. */
export function SignOutButton() {
  async function signOut() {
    await sendJson("POST", "/api/auth/logout", {}, sessionChangeSchema).catch(() => undefined);
    window.location.assign(apiPath("/login"));
  }
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  );
}
