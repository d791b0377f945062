/**
 * OpenID Connect sign-in in the browser: a real provider's sign-in and consent pages, real
 * redirects, and Kubernetes (the emulator, verifying the provider's ID tokens as kube-apiserver
 * does) deciding by group what each person sees. Also the sign-in page's messages when the
 * provider cannot be reached, rejects the console's client secret, or Kubernetes grants nothing.
 */
import { writeFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { freePort } from "../demo/orchestrate/ports";
import { PEOPLE, signInThroughProvider, startOpenIdWorld, type OpenIdWorld } from "./openidWorld";

let world: OpenIdWorld;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  world = await startOpenIdWorld();
});

test.afterAll(async () => {
  await world?.stop();
});

test.describe("OpenID Connect sign-in", () => {
  test("a bookinfo team member signs in at the provider and sees only bookinfo; signing out ends it", async ({ page }) => {
    const [console] = world.consoles;
    if (!console) throw new Error("no console");
    await signInThroughProvider(page, console.url, PEOPLE.alice);
    await expect(page).toHaveURL(`${console.url}/`);
    await expect(page.getByTestId("namespace-card-bookinfo")).toBeVisible();
    await expect(page.getByTestId("namespace-card-mesh-lab")).toHaveCount(0);
    // Asking for another team's namespace is refused by name, not silently emptied.
    const refused = await page.request.get(`${console.url}/api/workloads?namespaces=mesh-lab`);
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("mesh-lab");

    await page.getByRole("button", { name: "Sign out" }).click();
    // The provider offers end-session: it asks to confirm, then sends the browser back to sign-in.
    await page.getByRole("button", { name: /yes, sign me out/i }).click();
    await expect(page).toHaveURL(new RegExp(`^${console.url}/login`));
    await page.goto(`${console.url}/`);
    await expect(page).toHaveURL(/\/login\?next=/);
    expect((await page.request.get(`${console.url}/api/namespaces`)).status()).toBe(401);
  });

  test("a mesh-lab team member sees mesh-lab and not bookinfo", async ({ page }) => {
    const [console] = world.consoles;
    if (!console) throw new Error("no console");
    await signInThroughProvider(page, console.url, PEOPLE.bob);
    await expect(page.getByTestId("namespace-card-mesh-lab")).toBeVisible();
    await expect(page.getByTestId("namespace-card-bookinfo")).toHaveCount(0);
  });

  test("someone Kubernetes grants no namespace is told so on the sign-in page", async ({ page }) => {
    const [console] = world.consoles;
    if (!console) throw new Error("no console");
    await signInThroughProvider(page, console.url, PEOPLE.carol);
    await expect(page.getByRole("alert").filter({ hasText: "Kubernetes allows your account to read no namespace" })).toBeVisible();
    await expect(page).toHaveURL(/\/login\?problem=not-authorised/);
  });
});

test.describe("token refresh", () => {
  test("ID tokens are renewed before they expire, and a revoked refresh token sends the person to sign in with the reason", async ({ page }) => {
    test.setTimeout(180_000);
    // ID tokens living 60 s are always inside the console's 60 s renewal margin: every use renews them.
    const shortLived = await startOpenIdWorld({ idTokenTtlSeconds: 60 });
    try {
      const [console] = shortLived.consoles;
      if (!console) throw new Error("no console");
      await signInThroughProvider(page, console.url, PEOPLE.bob);
      await expect(page.getByTestId("namespace-card-mesh-lab")).toBeVisible();
      const renewed = await page.request.get(`${console.url}/api/namespaces`);
      expect(renewed.status()).toBe(200);
      // A renewal writes the session again with the new ID token.
      expect(renewed.headers()["set-cookie"] ?? "").toContain("mesh-console-session=");

      expect(await shortLived.provider.revokeRefreshTokens(PEOPLE.bob.login)).toBeGreaterThan(0);
      await page.reload();
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole("alert").filter({ hasText: "Your sign-in has expired or was revoked at the identity provider" })).toBeVisible();
    } finally {
      await shortLived.stop();
    }
  });
});

test.describe("sign-in problems", () => {
  test("a console with the wrong client secret says the provider refused its credentials", async ({ page }) => {
    test.setTimeout(180_000);
    const wrong = await startOpenIdWorld({ consoleEnv: {} });
    try {
      await writeFile(wrong.env.MESH_CONSOLE_OIDC_CLIENT_SECRET_FILE ?? "", "not-the-secret");
      const [console] = wrong.consoles;
      if (!console) throw new Error("no console");
      // The secret is read at discovery, so the console reads the changed file at its first sign-in.
      await signInThroughProvider(page, console.url, PEOPLE.alice);
      await expect(page.getByRole("alert").filter({ hasText: "refused the console's client credentials (invalid_client)" })).toBeVisible();
    } finally {
      await wrong.stop();
    }
  });

  test("a provider that cannot be reached is named on the sign-in page", async ({ page }) => {
    test.setTimeout(180_000);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await startOpenIdWorld({ consoleEnv: { MESH_CONSOLE_OIDC_ISSUER_URL: nobody } });
    try {
      const [console] = unreachable.consoles;
      if (!console) throw new Error("no console");
      await page.goto(`${console.url}/`);
      await page.getByRole("link", { name: "Sign in with your identity provider" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "The identity provider could not be reached" })).toBeVisible();
    } finally {
      await unreachable.stop();
    }
  });
});
