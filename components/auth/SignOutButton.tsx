"use client";

import { signOutEverywhere } from "./signOut";

/** Ends the session (and the identity provider's, where it offers that); for the top bar when sign-in is on. */
export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOutEverywhere()}>
      Sign out
    </button>
  );
}
