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

/** Mirrors the server's Better Auth settings (8–128 characters). */
const signUpSchema = z.object({
  name: z.string().trim().min(1, "enter your name").max(100),
  email: z.email("enter an email address like you@company.com"),
  password: z.string().min(8, "use at least 8 characters").max(128, "use at most 128 characters"),
});
type Errors = Partial<Record<"name" | "email" | "password", string>>;

type SignUpFormProps = { next: string; email?: string };

export function SignUpForm({ next, email = "" }: SignUpFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = signUpSchema.safeParse({
      name: form.get("name"),
      email: form.get("email"),
      password: form.get("password"),
    });
    if (!parsed.success) {
      const f = z.flattenError(parsed.error).fieldErrors;
      setErrors({ name: f.name?.[0], email: f.email?.[0], password: f.password?.[0] });
      return;
    }
    setErrors({});
    setFailure(null);
    setPending(true);
    // Better Auth signs the new user in at once.
    const { error } = await authClient.signUp.email(parsed.data).catch((e: unknown) => ({
      error: { message: errorMessage(e), status: 0 },
    }));
    if (error) {
      setPending(false);
      setFailure(error.message ?? `sign-up failed (${error.status})`);
      return;
    }
    router.push(next);
    router.refresh();
  }

  const signInHref = `/sign-in?next=${encodeURIComponent(next)}`;
  return (
    <>
      <h1 className="panel-title">Create your retune account</h1>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Name" error={errors.name}>
          <Input name="name" autoComplete="name" autoFocus />
        </Field>
        <Field label="Email" error={errors.email}>
          <Input name="email" type="email" autoComplete="email" defaultValue={email} />
        </Field>
        <Field label="Password" hint="At least 8 characters." error={errors.password}>
          <Input name="password" type="password" autoComplete="new-password" />
        </Field>
        {failure && <ErrorState title="Could not create the account" error={failure} />}
        <Button type="submit" variant="primary" loading={pending} className="btn-block">
          Create account
        </Button>
      </form>
      <p className="panel-footer">
        Already have an account? <Link href={signInHref}>Sign in</Link>
      </p>
    </>
  );
}
