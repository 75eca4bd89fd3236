"use client";

import { TRAINING_PRESETS } from "@/lib/schemas/training-jobs";
import { cx } from "@/components/ui/cx";
import { applyPreset, type LaunchFormState, type PresetId } from "./launch-form-state";

const IDS = Object.keys(TRAINING_PRESETS) as PresetId[];

/** Whether the form still holds exactly what the preset filled in. */
function untouched(state: LaunchFormState, id: PresetId): boolean {
  const fresh = applyPreset(state, id);
  return (
    fresh.baseModel === state.baseModel &&
    fresh.method === state.method &&
    fresh.lrScheduler === state.lrScheduler &&
    state.targetModules === "" &&
    JSON.stringify(fresh.hp) === JSON.stringify(state.hp)
  );
}

/** The presets as toggle chips; the chosen one is pressed, and says so when edited since. */
export function PresetChips({
  state,
  onPick,
}: {
  state: LaunchFormState;
  onPick: (id: PresetId) => void;
}) {
  return (
    <div className="preset-chips" role="group" aria-label="Presets">
      {IDS.map((id) => {
        const p = TRAINING_PRESETS[id];
        const on = state.preset === id;
        const edited = on && !untouched(state, id);
        return (
          <button
            key={id}
            type="button"
            className={cx("preset-chip", on && "preset-chip-on")}
            aria-pressed={on}
            aria-label={`${p.label}${edited ? " (edited)" : ""}`}
            aria-describedby={`preset-${id}-desc`}
            onClick={() => onPick(id)}
          >
            <span className="preset-chip-label">{p.label}</span>
            {edited && <span className="preset-chip-edited">edited</span>}
            <span id={`preset-${id}-desc`} className="preset-chip-desc">
              {p.description}
            </span>
          </button>
        );
      })}
    </div>
  );
}
