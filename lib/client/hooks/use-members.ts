import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import type { Role } from "@/lib/domain/permissions";
import { memberSchema } from "@/lib/schemas/members";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { removedMemberResponseSchema } from "@/lib/schemas/members";

export function useMembers() {
  return useQuery({
    queryKey: queryKeys.members,
    queryFn: () => apiFetch("/api/v1/members", z.array(memberSchema)),
  });
}

export function useChangeMemberRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      apiFetch(`/api/v1/members/${encodeURIComponent(id)}`, memberSchema, {
        method: "PATCH",
        json: { role },
      }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.members }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
        // The caller may have changed their own role.
        qc.invalidateQueries({ queryKey: queryKeys.me }),
      ]),
  });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/v1/members/${encodeURIComponent(id)}`, removedMemberResponseSchema, {
        method: "DELETE",
      }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.members }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
      ]),
  });
}
