"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useSwitchTeam } from "@/lib/client/hooks/use-teams";
import { Badge } from "@/components/ui/badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ErrorState } from "@/components/ui/error-state";
import { Spinner } from "@/components/ui/spinner";
import { CreateTeamDialog } from "./create-team-dialog";

/** Lists the user's teams with their role in each; picking one sets the team cookie. */
export function TeamSwitcher() {
  const active = useActiveTeam();
  const router = useRouter();
  const switchTeam = useSwitchTeam();
  const [creating, setCreating] = useState(false);

  if (!active) return <span className="team-switcher-placeholder" />;
  const { me, team } = active;

  return (
    <div className="team-switcher">
      <DropdownMenu>
        <DropdownMenuTrigger className="team-switcher-trigger">
          <span className="team-avatar" aria-hidden="true">
            {team.name.slice(0, 1).toUpperCase()}
          </span>
          <span className="team-switcher-name">{team.name}</span>
          <Badge>{team.role}</Badge>
          {switchTeam.isPending ? (
            <Spinner />
          ) : (
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
              <path d="M3 4.5l3 3 3-3" stroke="currentColor" strokeWidth="1.4" fill="none" />
            </svg>
          )}
        </DropdownMenuTrigger>
        <DropdownMenuContent aria-label="Teams">
          <DropdownMenuLabel>Teams</DropdownMenuLabel>
          <DropdownMenuRadioGroup
            value={team.id}
            onValueChange={(teamId) => {
              if (teamId === team.id) return;
              switchTeam.mutate(teamId, { onSuccess: () => router.refresh() });
            }}
          >
            {me.teams.map((t) => (
              <DropdownMenuRadioItem key={t.id} value={t.id}>
                <span className="menu-item-text">{t.name}</span>
                <span className="menu-item-meta">{t.role}</span>
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>Create team…</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {switchTeam.error && (
        <div className="team-switcher-error">
          <ErrorState title="Could not switch teams" error={switchTeam.error} />
        </div>
      )}
      <CreateTeamDialog open={creating} onOpenChange={setCreating} />
    </div>
  );
}
