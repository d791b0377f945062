import { test as base, expect } from "@playwright/test";
import { demoEndpoints } from "./demoEndpoints";

/** Every test's relative URLs go to the demo's console. */
export const test = base.extend({
  // Playwright's fixture signature needs the (unused) first argument destructured.
  baseURL: async ({}, use) => {
    await use(demoEndpoints().console);
  },
});

export { expect };
