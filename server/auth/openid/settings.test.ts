import { describe, expect, it } from "vitest";
import { DEFAULT_OPENID_SCOPES, readOpenIdSettings, readSessionSettings } from "./settings";

function read(env: Record<string, string>) {
  const problems: string[] = [];
  return { settings: readOpenIdSettings(env, problems), problems };
}

describe("OpenID settings", () => {
  it("needs the issuer and the client id, naming each setting", () => {
    const { problems } = read({});
    expect(problems.join("\n")).toContain("MESH_CONSOLE_OIDC_ISSUER_URL: required");
    expect(problems.join("\n")).toContain("MESH_CONSOLE_OIDC_CLIENT_ID: required");
  });

  it("refuses a plain-http issuer except on loopback, and one with credentials", () => {
    expect(read({ MESH_CONSOLE_OIDC_ISSUER_URL: "http://login.example.com", MESH_CONSOLE_OIDC_CLIENT_ID: "c" }).problems[0]).toContain("https");
    expect(read({ MESH_CONSOLE_OIDC_ISSUER_URL: "http://127.0.0.1:5556", MESH_CONSOLE_OIDC_CLIENT_ID: "c" }).problems).toEqual([]);
    expect(read({ MESH_CONSOLE_OIDC_ISSUER_URL: "https://u:p@login.example.com", MESH_CONSOLE_OIDC_CLIENT_ID: "c" }).problems[0]).toContain("credentials");
  });

  it("takes scopes separated by spaces or commas, and insists on openid", () => {
    const base = { MESH_CONSOLE_OIDC_ISSUER_URL: "https://idp.example", MESH_CONSOLE_OIDC_CLIENT_ID: "c" };
    expect(read(base).settings?.scopes).toEqual(DEFAULT_OPENID_SCOPES);
    expect(read({ ...base, MESH_CONSOLE_OIDC_SCOPES: "openid,groups offline_access" }).settings?.scopes).toEqual(["openid", "groups", "offline_access"]);
    expect(read({ ...base, MESH_CONSOLE_OIDC_SCOPES: "email" }).problems[0]).toContain("must include openid");
  });

  it("checks the claims and the redirect URL", () => {
    const base = { MESH_CONSOLE_OIDC_ISSUER_URL: "https://idp.example", MESH_CONSOLE_OIDC_CLIENT_ID: "c" };
    expect(read({ ...base, MESH_CONSOLE_OIDC_USERNAME_CLAIM: "e mail" }).problems[0]).toContain("MESH_CONSOLE_OIDC_USERNAME_CLAIM");
    expect(read({ ...base, MESH_CONSOLE_OIDC_REDIRECT_URL: "https://mesh.example.com/callback" }).problems[0]).toContain("/api/auth/openid/callback");
    expect(read({ ...base, MESH_CONSOLE_OIDC_REDIRECT_URL: "https://mesh.example.com/api/auth/openid/callback" }).settings?.redirectUrl).toBe("https://mesh.example.com/api/auth/openid/callback");
  });
});

describe("session settings", () => {
  it("keeps the sign-out record in istio-system unless told otherwise, and checks the name", () => {
    const problems: string[] = [];
    expect(readSessionSettings({}, problems)).toEqual({ namespace: "istio-system", keysDir: undefined });
    readSessionSettings({ MESH_CONSOLE_SESSION_NAMESPACE: "Bad_Name" }, problems);
    expect(problems[0]).toContain("MESH_CONSOLE_SESSION_NAMESPACE");
  });
});
