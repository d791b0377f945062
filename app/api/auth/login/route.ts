import { signIn } from "@/server/auth/signIn";
import { apiRoute } from "@/server/http/apiRoute";

export const dynamic = "force-dynamic";

/** POST {token}: checks the Kubernetes token and starts a session (cookie); the token never comes back. */
export const POST = apiRoute("/api/auth/login", async (request) => signIn(request));
