import { sessionInfo } from "@/server/auth/signIn";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** GET: the auth mode and whether this browser is signed in; never the token. */
export const GET = apiRoute("/api/auth/session", async (request) => Response.json(await sessionInfo(request), { headers: { "cache-control": "no-store" } }));
