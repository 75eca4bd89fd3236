"use client";

import { useState, type FormEvent } from "react";
import { createEvalSuiteBodySchema, type SuiteTurns } from "@/lib/schemas/evals";
import {
  DEFAULT_SCORERS,
  DEFAULT_SCORING_PROFILE,
  SCORERS,
  type Scorer,
  type ScoringProfile,
} from "@/lib/schemas/eval-metrics";
import { fieldErrors } from "@/lib/client/api";
import { useCreateEvalSuite } from "@/lib/client/hooks/evals";
import { useDataset, useDatasets } from "@/lib/client/hooks/use-datasets";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const SCORER_TEXT: Record<Scorer, string> = {
  tool_call:
    "Tool calls scored like BFCL: name, arguments, types, values (tool_call_accuracy, tool_name_accuracy)",
  json_validity: "Tool-call arguments parse as JSON",
  schema_validity: "Arguments match the tool's JSON schema",
  exact_match: "Text answer equals the reference",
  contains_match: "Text answer contains the reference",
  latency: "Latency p50 and p95",
  cost: "Tokens per call and cost per 1k calls (needs prices)",
};

function DatasetVersionSelect({
  datasetId,
  value,
  onChange,
  error,
}: {
  datasetId: string;
  value: string;
  onChange: (id: string) => void;
  error?: string;
}) {
  const dataset = useDataset(datasetId);
  const versions = (dataset.data?.versions ?? []).filter((v) => v.status === "READY");
  return (
    <Field
      label="Dataset version"
      required
      error={error ?? (dataset.isError ? "could not load versions" : undefined)}
      hint={
        dataset.data && versions.length === 0 ? "This dataset has no valid version yet." : undefined
      }
    >
      <Select
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        options={[
          { value: "", label: dataset.isPending ? "Loading versions…" : "Choose a version" },
          ...[...versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => ({
              value: v.id,
              label: `v${v.version}${v.stats ? ` · ${v.stats.split.eval} eval / ${v.stats.rows} rows` : ""}`,
            })),
        ]}
      />
    </Field>
  );
}

/** A suite: a dataset version's eval split (or all of it) and the scorers to apply. */
export function NewSuiteDialog() {
  const create = useCreateEvalSuite();
  const datasets = useDatasets();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [datasetId, setDatasetId] = useState("");
  const [versionId, setVersionId] = useState("");
  const [split, setSplit] = useState<"eval" | "all">("eval");
  const [scorers, setScorers] = useState<Scorer[]>([...DEFAULT_SCORERS]);
  const [profile, setProfile] = useState<ScoringProfile>(DEFAULT_SCORING_PROFILE);
  const [turns, setTurns] = useState<SuiteTurns>("first");
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      create.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = createEvalSuiteBodySchema.safeParse({
      name,
      datasetVersionId: versionId,
      split,
      scorers,
      scoringProfile: profile,
      turns,
    });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      if (next.datasetVersionId) next.datasetVersionId = "choose a dataset version";
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: () => {
        onOpenChange(false);
        setName("");
      },
    });
  }

  const server = fieldErrors(create.error);
  const all = { ...server, ...errors };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size="sm">
          New suite
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New eval suite"
        description="Held-out examples and the scorers that grade them. Models reference a suite for their gate."
      >
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Name" required error={all.name}>
            <Input
              autoFocus
              autoComplete="off"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field
            label="Dataset"
            required
            error={datasets.isError ? "could not load datasets" : undefined}
          >
            <Select
              value={datasetId}
              onChange={(e) => {
                setDatasetId(e.currentTarget.value);
                setVersionId("");
              }}
              options={[
                { value: "", label: datasets.isPending ? "Loading datasets…" : "Choose a dataset" },
                ...(datasets.data ?? []).map((d) => ({ value: d.id, label: d.name })),
              ]}
            />
          </Field>
          {datasetId ? (
            <DatasetVersionSelect
              datasetId={datasetId}
              value={versionId}
              onChange={setVersionId}
              error={all.datasetVersionId}
            />
          ) : (
            all.datasetVersionId && <p className="field-error">{all.datasetVersionId}</p>
          )}
          <Field
            label="Split"
            hint="The eval split is held out from training; “all” uses every row."
          >
            <Select
              value={split}
              onChange={(e) => setSplit(e.currentTarget.value as "eval" | "all")}
              options={[
                { value: "eval", label: "Eval split" },
                { value: "all", label: "All rows" },
              ]}
            />
          </Field>
          <Field
            label="Turns"
            hint="Every turn: each assistant turn of a conversation is a case, with the real history before it; the run also reports conversation success (all turns right)."
          >
            <Select
              value={turns}
              onChange={(e) => setTurns(e.currentTarget.value as SuiteTurns)}
              options={[
                { value: "first", label: "First tool-calling turn of each row" },
                { value: "all", label: "Every assistant turn" },
              ]}
            />
          </Field>
          <Field
            label="Scoring profile"
            hint="How tool calls are judged. BFCL: parity with the Berkeley leaderboard's AST checker. retune: the same rules plus documented differences (any valid pairing of parallel calls, integers in float lists, all whitespace ignored in strings)."
          >
            <Select
              value={profile}
              onChange={(e) => setProfile(e.currentTarget.value as ScoringProfile)}
              options={[
                { value: "retune", label: "retune (default)" },
                { value: "bfcl", label: "BFCL parity" },
              ]}
            />
          </Field>
          <fieldset className="fieldset">
            <legend className="label field-label">Scorers</legend>
            {SCORERS.map((s) => (
              <Checkbox
                key={s}
                label={s}
                description={SCORER_TEXT[s]}
                checked={scorers.includes(s)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setScorers((cur) =>
                    on
                      ? SCORERS.filter((x) => x === s || cur.includes(x))
                      : cur.filter((x) => x !== s),
                  );
                }}
              />
            ))}
            {all.scorers && <p className="field-error">{all.scorers}</p>}
          </fieldset>
          {create.error && Object.keys(server).length === 0 && (
            <ErrorState title="Could not create the suite" error={create.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={create.isPending}>
              Create suite
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
