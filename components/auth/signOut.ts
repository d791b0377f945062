import { z } from "zod";
import { apiPath, leavingPage, sendJson } from "@/lib/apiClient";

const signOutSchema = z.object({ endSessionUrl: z.string().url().optional() }).loose();

/**
 * Ends the session on every replica, then, when the identity provider offers it, its own session
 * too (the provider sends the browser back to the sign-in page); otherwise straight to sign-in.
 */
export async function signOutEverywhere(): Promise<void> {
  leavingPage();
  const answer = await sendJson("POST", "/api/auth/logout", {}, signOutSchema).catch(() => undefined);
  const providerUrl = answer?.endSessionUrl;
  // Only http(s): the URL comes from the provider's discovery document.
  if (providerUrl && /^https?:\/\//.test(providerUrl)) window.location.assign(providerUrl);
  else window.location.assign(apiPath("/login"));
}
