import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { AcceptInvitationButton } from "@/components/invitations/accept-invitation-button";
import { CenteredFrame } from "@/components/shell/centered-frame";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { lookupInvitation } from "@/lib/server/teams/invitations";
import { sessionUser } from "@/lib/server/core/principal";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ token: string }> };

function Unusable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <CenteredFrame>
      <h1 className="panel-title">{title}</h1>
      <div role="alert" className="error-state">
        <p className="error-state-message">{children}</p>
      </div>
      <p className="panel-footer">
        <Link href="/">Go to the console</Link>
      </p>
    </CenteredFrame>
  );
}

/** Knowing the token is the credential for reading the invitation; accepting needs a session. */
export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([
    lookupInvitation(token),
    headers().then((h) => sessionUser(h)),
  ]);

  if (!invitation) {
    return (
      <Unusable title="Invitation not found">
        This invitation link is not valid. Check that you copied the whole link, or ask the person
        who invited you for a new one.
      </Unusable>
    );
  }
  if (invitation.status === "ACCEPTED") {
    return (
      <Unusable title="Invitation already used">
        This invitation to {invitation.teamName} has already been accepted. If that was you, open
        the console; otherwise ask for a new invitation.
      </Unusable>
    );
  }
  if (invitation.status === "REVOKED") {
    return (
      <Unusable title="Invitation revoked">
        This invitation to {invitation.teamName} was revoked by a team admin. Ask them for a new
        one.
      </Unusable>
    );
  }
  if (invitation.expired) {
    return (
      <Unusable title="Invitation expired">
        This invitation to {invitation.teamName} expired on{" "}
        {new Date(invitation.expiresAt).toUTCString()}. Ask a team admin for a new one.
      </Unusable>
    );
  }

  const next = `/invite/${encodeURIComponent(token)}`;
  const emailMatches = user && user.email.toLowerCase() === invitation.email.toLowerCase();
  return (
    <CenteredFrame>
      <h1 className="panel-title">Join {invitation.teamName}</h1>
      <dl className="details">
        <dt>Team</dt>
        <dd>{invitation.teamName}</dd>
        <dt>Invited email</dt>
        <dd>{invitation.email}</dd>
        <dt>Role</dt>
        <dd>
          <Badge>{invitation.role}</Badge>
        </dd>
      </dl>
      {!user && (
        <>
          <p className="muted">
            Create an account with {invitation.email}, or sign in if you already have one, to
            accept.
          </p>
          <div className="stack">
            <Link
              className="btn btn-primary btn-block"
              href={`/sign-up?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(next)}`}
            >
              Create an account
            </Link>
            <Link
              className="btn btn-secondary btn-block"
              href={`/sign-in?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(next)}`}
            >
              Sign in
            </Link>
          </div>
        </>
      )}
      {user && emailMatches && (
        <AcceptInvitationButton token={token} teamName={invitation.teamName} />
      )}
      {user && !emailMatches && (
        <>
          <Notice tone="warning">
            This invitation is for <strong>{invitation.email}</strong>, but you are signed in as{" "}
            <strong>{user.email}</strong>. Sign out and continue as {invitation.email}.
          </Notice>
          <SignOutButton className="btn-block">Sign out</SignOutButton>
        </>
      )}
    </CenteredFrame>
  );
}
