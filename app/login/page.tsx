import { cookies } from "next/headers";
import { LoginForm } from "@/components/auth/LoginForm";
import { OpenIdSignIn } from "@/components/auth/OpenIdSignIn";
import { PROBLEM_COOKIE } from "@/server/auth/cookies";
import { isSignInProblem, SIGN_IN_PROBLEMS } from "@/server/auth/openid/problems";
import { getConfig } from "@/server/config";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next, problem } = await searchParams;
  // A problem code from the URL or from the cookie an API refusal left; only known codes are shown.
  const code = typeof problem === "string" ? problem : (await cookies()).get(PROBLEM_COOKIE)?.value;
  const message = isSignInProblem(code) ? SIGN_IN_PROBLEMS[code] : undefined;
  const nextPath = typeof next === "string" ? next : undefined;
  return (
    <>
      <h1>Sign in</h1>
      {message ? (
        <p role="alert" className={code === "signed-out" ? "state" : "state state-error"}>
          {message}
        </p>
      ) : null}
      {getConfig().auth.mode === "openid" ? <OpenIdSignIn next={nextPath} /> : <LoginForm next={nextPath} />}
    </>
  );
}
