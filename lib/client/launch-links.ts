/**
 * Links into the launch form with something chosen already: a dataset version ("Train on this
 * version") or a job to copy ("Clone and edit"). The page reads the same names
 * (app/(console)/training-jobs/new/page.tsx).
 */
export const LAUNCH_PARAMS = { datasetVersionId: "datasetVersionId", from: "from" } as const;

export function launchHref(choice: { datasetVersionId?: string; from?: string } = {}): string {
  const params = new URLSearchParams();
  if (choice.datasetVersionId) params.set(LAUNCH_PARAMS.datasetVersionId, choice.datasetVersionId);
  if (choice.from) params.set(LAUNCH_PARAMS.from, choice.from);
  const qs = params.toString();
  return qs ? `/training-jobs/new?${qs}` : "/training-jobs/new";
}
