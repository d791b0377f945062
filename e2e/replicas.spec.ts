/**
 * Three console replicas behind a round-robin proxy, sharing only the session key directory and
 * the Kubernetes API: one person signed in through the provider is served by all three in turn, a
 * replica restart signs nobody out, and a sign-out on one replica is refused by every replica even
 * to a copy of the cookie kept from before.
 */
import { expect, test } from "./fixtures";
import { PEOPLE, signInThroughProvider, startOpenIdWorld, type OpenIdWorld } from "./openidWorld";
import { startRoundRobinProxy, type RoundRobinProxy } from "./roundRobinProxy";

let world: OpenIdWorld;
let proxy: RoundRobinProxy;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  world = await startOpenIdWorld({ replicas: 3 });
  proxy = await startRoundRobinProxy(Number(world.env.PROXY_PORT), world.consoles);
});

test.afterAll(async () => {
  await proxy?.stop();
  await world?.stop();
});

test("one signed-in person is served by every replica in turn, through a restart, and signed out everywhere", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signInThroughProvider(page, proxy.url, PEOPLE.alice);
  await expect(page).toHaveURL(`${proxy.url}/`);
  await expect(page.getByTestId("namespace-card-bookinfo")).toBeVisible();

  // Six reads in a row: each lands on the next replica, and each is served as alice.
  const before = proxy.log.length;
  for (let i = 0; i < 6; i++) {
    const answer = await page.request.get(`${proxy.url}/api/workloads?namespaces=bookinfo`);
    expect(answer.status()).toBe(200);
  }
  const replicasUsed = new Set(proxy.log.slice(before).map((entry) => entry.replica));
  expect([...replicasUsed].sort()).toEqual([0, 1, 2]);
  expect((await page.request.get(`${proxy.url}/api/workloads?namespaces=mesh-lab`)).status()).toBe(403);

  // A replica restarts (a rollout): nobody is signed out, and the restarted one serves the session too.
  const restarted = world.consoles[1];
  if (!restarted) throw new Error("no second replica");
  await restarted.stop();
  await restarted.start();
  const afterRestart = proxy.log.length;
  for (let i = 0; i < 3; i++) expect((await page.request.get(`${proxy.url}/api/namespaces`)).status()).toBe(200);
  expect(new Set(proxy.log.slice(afterRestart).map((entry) => entry.replica)).size).toBe(3);
  await page.reload();
  await expect(page.getByTestId("namespace-card-bookinfo")).toBeVisible();

  // Someone kept a copy of the cookies; then alice signs out on whichever replica the proxy picks.
  const copied = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: /yes, sign me out/i }).click();
  await expect(page).toHaveURL(new RegExp(`^${proxy.url}/login`));

  const thief = await browser.newContext();
  try {
    await thief.addCookies(copied);
    const afterSignOut = proxy.log.length;
    for (let i = 0; i < 3; i++) expect((await thief.request.get(`${proxy.url}/api/namespaces`)).status()).toBe(401);
    expect(new Set(proxy.log.slice(afterSignOut).map((entry) => entry.replica)).size).toBe(3);
  } finally {
    await thief.close();
  }
});
