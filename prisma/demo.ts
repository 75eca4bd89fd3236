/** Who and what the demo is: the seed creates them, the story fills them, e2e signs in as them. */
export const DEMO = {
  email: "demo@retune.dev",
  password: "retune-demo",
  name: "Demo Engineer",
  team: "Demo team",
  /** The team's slug: the seed and the story find the demo team by it. */
  slug: "demo",
  /** The Model whose life the demo story shows. */
  model: "support-agent tool caller",
  /** The dataset its versions are trained on (learnable tool calls, as production logged them). */
  trainingDataset: "support-agent training set",
  suite: "support-agent held-out calls",
} as const;
