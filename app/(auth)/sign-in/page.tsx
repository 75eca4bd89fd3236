import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNext } from "@/lib/client/safe-next";
import { sessionUser } from "@/lib/server/core/principal";
import { firstParam, type SearchParams } from "@/lib/client/search-params";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  // Already signed in: go where the link meant to go.
  if (await sessionUser(await headers())) redirect(next);
  return <SignInForm next={next} email={firstParam(params.email)} />;
}
