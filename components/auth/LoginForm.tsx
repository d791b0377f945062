"use client";

import { useEffect, useState, type FormEvent } from "react";
import { apiPath } from "@/lib/apiClient";
import { safeNextPath } from "./safeNext";

/** The custom header is the console's same-origin proof (server/http/mutations.ts); sign-in needs it too. */
const JSON_CHANGE_HEADERS = { "content-type": "application/json", "x-mesh-console": "1" } as const;

interface ErrorBody {
  error?: { message?: string };
}

export function LoginForm({ next }: { next: string | undefined }) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [signedIn, setSignedIn] = useState(false);

  useEffect(() => {
    fetch(apiPath("/api/auth/session"))
      .then((response) => response.json())
      .then((body: { signedIn?: boolean; authMode?: string }) => setSignedIn(body.authMode === "token" && body.signedIn === true))
      .catch(() => undefined);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const response = await fetch(apiPath("/api/auth/login"), { method: "POST", headers: JSON_CHANGE_HEADERS, body: JSON.stringify({ token }) });
      if (response.ok) {
        setToken("");
        window.location.assign(apiPath(safeNextPath(next)));
        return;
      }
      const body = (await response.json().catch(() => ({}))) as ErrorBody;
      setProblem(body.error?.message ?? `Sign-in failed (HTTP ${response.status})`);
    } catch {
      setProblem("The console's server could not be reached; is it still running?");
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    await fetch(apiPath("/api/auth/logout"), { method: "POST", headers: JSON_CHANGE_HEADERS, body: "{}" }).catch(() => undefined);
    setSignedIn(false);
  }

  return (
    <form className="login-form" onSubmit={submit} aria-describedby="login-help">
      <p id="login-help">
        Sign in with a Kubernetes bearer token, for example from <code>kubectl create token NAME -n NAMESPACE</code>. The console calls the
        Kubernetes API with your token, so your RBAC permissions decide what you can see and change.
      </p>
      {signedIn ? (
        <p role="status">
          You are signed in.{" "}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </p>
      ) : null}
      <label htmlFor="login-token">Token</label>
      <input id="login-token" name="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(event) => setToken(event.target.value)} required />
      <button type="submit" disabled={busy || token.trim() === ""}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {problem ? (
        <p role="alert" className="state state-error">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
