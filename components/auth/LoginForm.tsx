"use client";

import { useEffect, useState, type FormEvent } from "react";
import { sessionChangeSchema, sessionSchema } from "@/lib/api/auth";
import { apiPath, fetchJson, sendJson } from "@/lib/apiClient";
import { safeNextPath } from "./safeNext";
import { signOutEverywhere } from "./signOut";

export function LoginForm({ next }: { next: string | undefined }) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [signedIn, setSignedIn] = useState(false);

  useEffect(() => {
    fetchJson("/api/auth/session", sessionSchema)
      .then((session) => setSignedIn(session.authMode === "token" && session.signedIn))
      .catch(() => undefined);
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await sendJson("POST", "/api/auth/login", { token }, sessionChangeSchema);
      setToken("");
      window.location.assign(apiPath(safeNextPath(next)));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    await signOutEverywhere();
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
