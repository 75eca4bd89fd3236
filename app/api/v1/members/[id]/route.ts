import { readJson, teamRoute } from "@/lib/server/core/http";
import { changeMemberRole, removeMember } from "@/lib/server/teams/members";
import { updateMemberBodySchema } from "@/lib/schemas/members";

export const PATCH = teamRoute("member.manage", async (p, req, { id }) =>
  changeMemberRole(p, id!, (await readJson(req, updateMemberBodySchema)).role),
);
export const DELETE = teamRoute("member.manage", async (p, _req, { id }) => removeMember(p, id!));
