import { finishOpenIdSignIn } from "@/server/auth/openid/flow";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** GET: where the identity provider sends the browser back with a code; starts the session. */
export const GET = apiRoute("/api/auth/openid/callback", async (request) => finishOpenIdSignIn(request));
