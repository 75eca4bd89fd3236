/**
 * A version's routing calibration (issue #17): the newest one, and running a new one. Keys sit
 * under the version's, so whatever invalidates a version (an eval run ending) refreshes these
 * too, and a new calibration refreshes the model card.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  latestRoutingCalibrationSchema,
  routingCalibrationSchema,
  type RoutingCalibrationBody,
} from "@/lib/schemas/routing-calibration";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { modelKeys } from "./models";

const enc = encodeURIComponent;

export const routingKeys = {
  latest: (versionId: string) =>
    [...queryKeys.modelVersions, versionId, "routing-calibration"] as const,
};

export function routingCalibrationUrl(versionId: string): string {
  return `/api/v1/model-versions/${enc(versionId)}/routing-calibration`;
}

/** The version's newest calibration, or null when it has none. */
export function useRoutingCalibration(versionId: string) {
  return useQuery({
    queryKey: routingKeys.latest(versionId),
    queryFn: () =>
      apiFetch(routingCalibrationUrl(versionId), latestRoutingCalibrationSchema).then(
        (r) => r.calibration,
      ),
  });
}

export function useCalibrateRouting(versionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RoutingCalibrationBody) =>
      apiFetch(routingCalibrationUrl(versionId), routingCalibrationSchema, {
        method: "POST",
        json: body,
      }),
    onSuccess: (calibration) => {
      qc.setQueryData(routingKeys.latest(versionId), calibration);
      void qc.invalidateQueries({ queryKey: modelKeys.card(versionId) });
    },
  });
}
