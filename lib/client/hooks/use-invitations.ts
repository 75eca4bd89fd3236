import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import {
  createdInvitationSchema,
  invitationSchema,
  type CreateInvitationBody,
} from "@/lib/schemas/invitations";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { afterTeamChange } from "./use-teams";
import { acceptInvitationResponseSchema } from "@/lib/schemas/invitations";
import { switchTeamResponseSchema } from "@/lib/schemas/teams";

/** Only for members allowed "invitation.manage" (the server answers 403 otherwise). */
export function useInvitations({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.invitations,
    queryFn: () => apiFetch("/api/v1/invitations", z.array(invitationSchema)),
    enabled,
  });
}

export function useCreateInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationBody) =>
      apiFetch("/api/v1/invitations", createdInvitationSchema, { method: "POST", json: body }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.invitations }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
      ]),
  });
}

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/v1/invitations/${encodeURIComponent(id)}`, invitationSchema, {
        method: "DELETE",
      }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.invitations }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
      ]),
  });
}

/** Joins the invited team, then makes it the active team of this browser session. */
export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) => {
      const joined = await apiFetch("/api/v1/invitations/accept", acceptInvitationResponseSchema, {
        method: "POST",
        json: { token },
      });
      await apiFetch("/api/v1/me/team", switchTeamResponseSchema, {
        method: "PUT",
        json: { teamId: joined.teamId },
      });
      return joined;
    },
    onSuccess: () => afterTeamChange(qc),
  });
}
