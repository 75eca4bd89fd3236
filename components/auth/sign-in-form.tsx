"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { errorMessage } from "@/lib/client/api";
import { authClient } from "@/lib/client/auth-client";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";

const signInSchema = z.object({
  email: z.email("enter an email address like you@company.com"),
  password: z.string().min(1, "enter your password"),
});
type Errors = Partial<Record<"email" | "password", string>>;

type SignInFormProps = { next: string; email?: string; showDemoHint?: boolean };

export function SignInForm({ next, email = "", showDemoHint = true }: SignInFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = signInSchema.safeParse({
      email: form.get("email"),
      password: form.get("password"),
    });
    if (!parsed.success) {
      const f = z.flattenError(parsed.error).fieldErrors;
      setErrors({ email: f.email?.[0], password: f.password?.[0] });
      return;
    }
    setErrors({});
    setFailure(null);
    setPending(true);
    const { error } = await authClient.signIn.email(parsed.data).catch((e: unknown) => ({
      error: { message: errorMessage(e), status: 0 },
    }));
    if (error) {
      setPending(false);
      setFailure(error.message ?? `sign-in failed (${error.status})`);
      return;
    }
    router.push(next);
    router.refresh();
  }

  const signUpHref = `/sign-up?next=${encodeURIComponent(next)}`;
  return (
    <>
      <h1 className="panel-title">Sign in to retune</h1>
      {showDemoHint && (
        <Notice>
          Trying the demo? Sign in as <code>demo@retune.dev</code> with password{" "}
          <code>retune-demo</code>.
        </Notice>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Email" error={errors.email}>
          <Input name="email" type="email" autoComplete="email" defaultValue={email} autoFocus />
        </Field>
        <Field label="Password" error={errors.password}>
          <Input name="password" type="password" autoComplete="current-password" />
        </Field>
        {failure && <ErrorState title="Could not sign in" error={failure} />}
        <Button type="submit" variant="primary" loading={pending} className="btn-block">
          Sign in
        </Button>
      </form>
      <p className="panel-footer">
        New to retune? <Link href={signUpHref}>Create an account</Link>
      </p>
    </>
  );
}
