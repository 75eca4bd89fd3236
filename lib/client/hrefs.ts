/** Console pages as links, one builder per page, so every feature links to a page the same way. */

export function jobHref(id: string): string {
  return `/training-jobs/${encodeURIComponent(id)}`;
}

export function compareHref(ids: readonly string[]): string {
  return `/training-jobs/compare?ids=${ids.map(encodeURIComponent).join(",")}`;
}

export function modelHref(id: string): string {
  return `/models/${encodeURIComponent(id)}`;
}

export function modelVersionHref(id: string): string {
  return `/model-versions/${encodeURIComponent(id)}`;
}

export function versionCompareHref(id: string, against?: string): string {
  const base = `/model-versions/${encodeURIComponent(id)}/compare`;
  return against ? `${base}?against=${encodeURIComponent(against)}` : base;
}

export function versionCardHref(id: string): string {
  return `/model-versions/${encodeURIComponent(id)}/card`;
}

export function evalRunHref(id: string): string {
  return `/evals/runs/${encodeURIComponent(id)}`;
}

export function monitorHref(id: string): string {
  return `/monitors/${encodeURIComponent(id)}`;
}

/** The Model page's retraining section, where a check's retrain request is drawn. */
export function retrainingHref(modelId: string): string {
  return `/models/${encodeURIComponent(modelId)}#retraining`;
}

export function traceHref(id: string): string {
  return `/traces/${encodeURIComponent(id)}`;
}

export function datasetVersionHref(datasetId: string, versionId: string): string {
  return `/datasets/${encodeURIComponent(datasetId)}/versions/${encodeURIComponent(versionId)}`;
}
