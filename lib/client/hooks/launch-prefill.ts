import { useQuery } from "@tanstack/react-query";
import { trainingJobSchema } from "@/lib/schemas/training-jobs";
import { apiFetch } from "../api";
import { trainingJobKeys } from "./training-jobs";

/**
 * The job "Clone and edit" copies (null: none), read once: the launch form takes its spec as a
 * starting point. The same cache entry as the job's page, which the person just came from.
 */
export function useJobToClone(id: string | null) {
  return useQuery({
    queryKey: trainingJobKeys.detail(id ?? ""),
    queryFn: () => apiFetch(`/api/v1/training-jobs/${encodeURIComponent(id!)}`, trainingJobSchema),
    enabled: Boolean(id),
  });
}
