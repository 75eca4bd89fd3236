import type { Metadata } from "next";
import { InvitationsPanel } from "@/components/settings/invitations-panel";
import { MembersPanel } from "@/components/settings/members-panel";

export const metadata: Metadata = { title: "Members" };

export default function MembersPage() {
  return (
    <div className="stack-lg">
      <MembersPanel />
      <InvitationsPanel />
    </div>
  );
}
