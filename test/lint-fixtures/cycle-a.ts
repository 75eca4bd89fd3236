// Deliberate import cycle for scripts/lint-rules.test.ts (eslint ignores this folder otherwise).
import { b } from "./cycle-b";

export const a = () => b() + 1;
