import type { LoopStep } from "@/lib/schemas/retrain";

/** The retrain loop's steps as the Model page names them; the server labels each step with these. */
export const STEP_LABEL: Record<LoopStep["step"], string> = {
  trigger: "Trigger",
  dataset: "Dataset",
  job: "Training job",
  eval: "Evaluation",
  gate: "Gate",
  promotion: "Promotion",
};
