/**
 * Pointing at the traffic graph's canvas as a person would: at the middle of the part of it that is
 * in the window (a tall side panel can make the canvas taller than the window, and a wheel turned
 * below the window's edge reaches nothing), and zooming in there until edge labels are big enough
 * to be drawn.
 */
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import type { Page } from "@playwright/test";
import { demoEndpoints } from "./demoEndpoints";

/** The demo's Istio objects, as the graph reads them (AuthorizationPolicies, DestinationRules…), with the demo's admin kubeconfig. */
export function meshObjects(): CustomObjectsApi {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(demoEndpoints().kubeconfig);
  return kubeConfig.makeApiClient(CustomObjectsApi);
}

export async function pointAtGraph(page: Page): Promise<void> {
  const frame = await page.getByTestId("graph-canvas").boundingBox();
  if (!frame) throw new Error("the graph canvas is not on the page");
  const visibleBottom = Math.min(frame.y + frame.height, page.viewportSize()?.height ?? Number.POSITIVE_INFINITY);
  await page.mouse.move(frame.x + frame.width / 2, (frame.y + visibleBottom) / 2);
}

/** The labels the graph draws on these edges ("" for one too small to read or out of view). */
async function edgeLabels(page: Page, ids: readonly string[]): Promise<string[]> {
  return page.evaluate((edgeIds) => edgeIds.map((id) => window.__meshGraph?.edgeLabel(id) ?? ""), [...ids]);
}

/** One notch of zoom at the pointer, then the edges' labels: poll it until a label shows. */
export async function zoomInAndReadLabels(page: Page, ids: readonly string[]): Promise<string[]> {
  await page.mouse.wheel(0, -300);
  return edgeLabels(page, ids);
}
