import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { CenteredFrame } from "@/components/shell/centered-frame";
import { FirstTeamForm } from "@/components/teams/first-team-form";
import { sessionUser } from "@/lib/server/core/principal";
import { listMyTeams } from "@/lib/server/teams/teams";

export const metadata: Metadata = { title: "Create your team" };

/** Where a signed-in person without any team lands; everything in retune belongs to a team. */
export default async function OnboardingPage() {
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in?next=/onboarding");
  if ((await listMyTeams(user)).length > 0) redirect("/");

  return (
    <CenteredFrame>
      <h1 className="panel-title">Create your team</h1>
      <p className="muted">
        Datasets, training jobs, models and API keys all belong to a team. Create one to start; you
        will be its owner.
      </p>
      <FirstTeamForm />
      <p className="panel-footer">
        Were you invited to an existing team? Open the invitation link you were sent instead.
      </p>
      <p className="panel-footer muted">
        Signed in as {user.email}.{" "}
        <SignOutButton variant="ghost" size="sm" redirectTo="/sign-in">
          Sign out
        </SignOutButton>
      </p>
    </CenteredFrame>
  );
}
