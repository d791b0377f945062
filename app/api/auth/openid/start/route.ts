import { startOpenIdSignIn } from "@/server/auth/openid/flow";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** GET ?next=/path: leaves for the identity provider's sign-in page (PKCE, state and nonce in a sealed cookie). */
export const GET = apiRoute("/api/auth/openid/start", async (request) => startOpenIdSignIn(request));
