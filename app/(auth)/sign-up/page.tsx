import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { safeNext } from "@/lib/client/safe-next";
import { sessionUser } from "@/lib/server/core/principal";
import { firstParam, type SearchParams } from "@/lib/client/search-params";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await sessionUser(await headers())) redirect(next);
  return <SignUpForm next={next} email={firstParam(params.email)} />;
}
