"use client";

import { useEffect, useState } from "react";
import { sessionSchema } from "@/lib/api/auth";
import { apiPath, fetchJson } from "@/lib/apiClient";
import { safeNextPath } from "./safeNext";
import { signOutEverywhere } from "./signOut";

/** Sign-in through the identity provider: a link (a full navigation, as the flow needs), and who is signed in. */
export function OpenIdSignIn({ next }: { next: string | undefined }) {
  const [user, setUser] = useState<string | undefined>();
  const [signedIn, setSignedIn] = useState(false);

  useEffect(() => {
    fetchJson("/api/auth/session", sessionSchema)
      .then((session) => {
        setSignedIn(session.signedIn);
        setUser(typeof session.user === "string" ? session.user : undefined);
      })
      .catch(() => undefined);
  }, []);

  const start = `${apiPath("/api/auth/openid/start")}?next=${encodeURIComponent(safeNextPath(next))}`;
  return (
    <div className="login-form">
      <p id="login-help">Sign in with your organisation&apos;s identity provider. The console calls the Kubernetes API with your identity, so RBAC for your user and groups decides what you can see and change.</p>
      {signedIn ? (
        <p role="status">
          You are signed in{user ? ` as ${user}` : ""}.{" "}
          <button type="button" onClick={() => void signOutEverywhere()}>
            Sign out
          </button>
        </p>
      ) : null}
      <a className="button" href={start} aria-describedby="login-help">
        Sign in with your identity provider
      </a>
    </div>
  );
}
