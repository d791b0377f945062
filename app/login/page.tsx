import { LoginForm } from "@/components/auth/LoginForm";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return (
    <>
      <h1>Sign in</h1>
      <LoginForm next={typeof next === "string" ? next : undefined} />
    </>
  );
}
