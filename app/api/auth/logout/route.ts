import { signOut } from "@/server/auth/signIn";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** POST: ends the session and clears its cookie. */
export const POST = apiRoute("/api/auth/logout", async (request) => signOut(request));
