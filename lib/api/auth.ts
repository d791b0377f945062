/** What the sign-in endpoints answer (server/auth/signIn.ts). */
import { z } from "zod";

/** GET /api/auth/session: never the token, only whether this browser is signed in. */
export const sessionSchema = z.object({ authMode: z.string(), signedIn: z.boolean() }).loose();

/** POST /api/auth/login and /api/auth/logout answer little the page needs; success is the status. */
export const sessionChangeSchema = z.unknown();
