/** POST /economics/advise: the seed's decision table as a checklist, combined (lib/domain). */
import { advise } from "@/lib/domain/economics/advisor";
import type { Advice, AdvisorInputBody } from "@/lib/schemas/economics";
import { authorize } from "@/lib/server/core/authorize";
import type { Principal } from "@/lib/server/core/principal";

export function adviseForTeam(p: Principal, body: AdvisorInputBody): Advice {
  authorize(p, "team.read");
  return advise(body);
}
