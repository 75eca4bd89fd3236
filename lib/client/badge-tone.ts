/** A badge's colour by meaning; status maps (a stage, a gate, a run) pick one per value. */
export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info";
