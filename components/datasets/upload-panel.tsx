"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { BASE_MODELS, DEFAULT_BASE_MODEL, findBaseModel } from "@/lib/domain/base-models";
import { INPUT_FORMATS, PROVENANCES, type UploadQuery } from "@/lib/schemas/datasets";
import { ApiClientError } from "@/lib/client/api";
import { formatBytes, percentOf } from "@/lib/client/format-units";
import { useUploadVersion } from "@/lib/client/hooks/use-datasets";
import type { UploadProgress } from "@/lib/client/upload";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { Select } from "@/components/ui/select";
import { FORMAT_LABEL, PROVENANCE_LABEL } from "./labels";
import { versionHref } from "./versions-table";

export const ACCEPTED_EXTENSIONS = [".jsonl", ".json", ".ndjson", ".gz"] as const;

const FORMAT_OPTIONS = [
  { value: "auto", label: "Detect per row" },
  ...INPUT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABEL[f] })),
];
const PROVENANCE_OPTIONS = [
  { value: "", label: "Not specified" },
  ...PROVENANCES.map((p) => ({ value: p, label: PROVENANCE_LABEL[p] })),
];
const BASE_MODEL_OPTIONS = BASE_MODELS.map((m) => ({
  value: m.id,
  label: `${m.name}${m.tokenizer === "estimate" ? " (token estimate)" : ""}`,
}));

function acceptable(file: File): boolean {
  const name = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => name.endsWith(ext));
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; progress: UploadProgress }
  | { kind: "cancelled" }
  | { kind: "error"; error: unknown }
  | { kind: "duplicate"; versionId: string; version: number };

/**
 * Drop or choose a JSONL file, pick how to read it, and upload it as a new version. The file is
 * the request body, streamed from disk by the browser, with a live progress bar and Cancel.
 */
export function UploadPanel({ datasetId }: { datasetId: string }) {
  const router = useRouter();
  const upload = useUploadVersion(datasetId);
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [baseModel, setBaseModel] = useState(DEFAULT_BASE_MODEL);
  const [evalError, setEvalError] = useState<string | null>(null);
  const uploading = phase.kind === "uploading";

  // Leaving the page would abort the upload: ask first.
  useEffect(() => {
    if (!uploading) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [uploading]);

  // An unmounted panel (navigating away inside the app) stops its upload.
  useEffect(() => () => abortRef.current?.abort(), []);

  function choose(next: File | null) {
    setPhase({ kind: "idle" });
    if (next && !acceptable(next)) {
      setFile(null);
      setFileError(
        `${next.name} is not a JSONL file: choose a ${ACCEPTED_EXTENSIONS.join(", ")} file.`,
      );
      return;
    }
    setFileError(null);
    setFile(next);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (uploading) return;
    const files = e.dataTransfer.files;
    if (files.length > 1) {
      setFileError("Drop one file at a time: each upload becomes one version.");
      return;
    }
    choose(files[0] ?? null);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) {
      setFileError("Choose a file to upload.");
      return;
    }
    const form = new FormData(e.currentTarget);
    const evalFraction = Number(form.get("evalFraction"));
    if (!Number.isFinite(evalFraction) || evalFraction < 0 || evalFraction > 0.5) {
      setEvalError("Enter a fraction between 0 and 0.5, e.g. 0.1 for 10%.");
      return;
    }
    setEvalError(null);
    const provenance = String(form.get("provenance") ?? "");
    const query: Partial<UploadQuery> = {
      format: String(form.get("format") ?? "auto") as UploadQuery["format"],
      evalFraction,
      baseModel,
      ...(provenance ? { provenance: provenance as UploadQuery["provenance"] } : {}),
    };
    const controller = new AbortController();
    abortRef.current = controller;
    setPhase({ kind: "uploading", progress: { loaded: 0, total: file.size } });
    upload.mutate(
      {
        file,
        query,
        signal: controller.signal,
        onProgress: (progress) => setPhase({ kind: "uploading", progress }),
      },
      {
        onSuccess: (res) => {
          abortRef.current = null;
          if (res.deduplicated) {
            setPhase({ kind: "duplicate", versionId: res.id, version: res.version });
            return;
          }
          setPhase({ kind: "idle" });
          setFile(null);
          if (inputRef.current) inputRef.current.value = "";
          router.push(versionHref(datasetId, res.id));
        },
        onError: (error) => {
          abortRef.current = null;
          if (error instanceof ApiClientError && error.code === "aborted") {
            setPhase({ kind: "cancelled" });
          } else {
            setPhase({ kind: "error", error });
          }
        },
      },
    );
  }

  const model = findBaseModel(baseModel);
  return (
    <Card>
      <CardHeader
        title="Upload a version"
        description="JSONL, one example per line: OpenAI chat or tool-calling messages, ShareGPT conversations, or prompt/completion. Gzip (.gz) is fine. Each upload becomes a new immutable version."
      />
      <CardBody>
        <form className="form" onSubmit={submit} noValidate aria-label="Upload a version">
          <div
            className={cx("dropzone", dragging && "dropzone-active", file && "dropzone-filled")}
            onDragOver={(e) => {
              e.preventDefault();
              if (!uploading) setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <input
              ref={inputRef}
              id={inputId}
              type="file"
              className="sr-only dropzone-input"
              accept={`${ACCEPTED_EXTENSIONS.join(",")},application/x-ndjson,application/gzip`}
              aria-label="Dataset file"
              aria-describedby={fileError ? `${inputId}-error` : `${inputId}-hint`}
              aria-invalid={fileError ? true : undefined}
              disabled={uploading}
              onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
            />
            {file ? (
              <p className="dropzone-file">
                <span className="mono">{file.name}</span>{" "}
                <span className="muted">{formatBytes(file.size)}</span>
              </p>
            ) : (
              <p className="dropzone-title">Drag a file here</p>
            )}
            <p id={`${inputId}-hint`} className="dropzone-hint">
              or{" "}
              <label htmlFor={inputId} className="dropzone-choose">
                {file ? "choose another file" : "choose a file"}
              </label>{" "}
              ({ACCEPTED_EXTENSIONS.join(", ")})
            </p>
            {fileError && (
              <p id={`${inputId}-error`} className="field-error">
                {fileError}
              </p>
            )}
          </div>

          <div className="form-grid">
            <Field label="Format" hint="How rows are read; detection looks at each row's keys.">
              <Select
                name="format"
                defaultValue="auto"
                options={FORMAT_OPTIONS}
                disabled={uploading}
              />
            </Field>
            <Field
              label="Provenance"
              hint="Where the rows come from; a row's metadata.source overrides it."
            >
              <Select
                name="provenance"
                defaultValue=""
                options={PROVENANCE_OPTIONS}
                disabled={uploading}
              />
            </Field>
            <Field
              label="Eval fraction"
              hint="Share of rows held out for evaluation (0–0.5), split by content hash."
              error={evalError}
            >
              <Input
                name="evalFraction"
                type="number"
                min={0}
                max={0.5}
                step={0.05}
                defaultValue={0.1}
                disabled={uploading}
              />
            </Field>
            <Field
              label="Base model"
              hint={
                model?.tokenizer === "estimate"
                  ? `No JS tokenizer for ${model.family}: token counts are estimates. Context ${model.contextLength.toLocaleString("en-US")} tokens.`
                  : `Tokens counted exactly (${model?.tokenizer}). Context ${model?.contextLength.toLocaleString("en-US")} tokens.`
              }
            >
              <Select
                name="baseModel"
                value={baseModel}
                onChange={(e) => setBaseModel(e.target.value)}
                options={BASE_MODEL_OPTIONS}
                disabled={uploading}
              />
            </Field>
          </div>

          {phase.kind === "uploading" && <UploadProgressBar progress={phase.progress} />}
          {phase.kind === "error" && <ErrorState title="Upload failed" error={phase.error} />}
          {phase.kind === "cancelled" && (
            <Notice>Upload cancelled; nothing was stored. Upload again when ready.</Notice>
          )}
          {phase.kind === "duplicate" && (
            <Notice>
              This file is byte-for-byte identical to{" "}
              <Link href={versionHref(datasetId, phase.versionId)}>version {phase.version}</Link>;
              no new version was created.
            </Notice>
          )}

          <div className="form-actions">
            {/*
             * Distinct keys: were the DOM button reused, Cancel would turn into the submit
             * button during its own click, and the browser would then submit the form.
             */}
            {uploading ? (
              <Button
                key="cancel"
                variant="danger"
                onClick={(e) => {
                  e.preventDefault();
                  abortRef.current?.abort();
                }}
              >
                Cancel upload
              </Button>
            ) : (
              <Button key="upload" type="submit" variant="primary" disabled={!file}>
                Upload
              </Button>
            )}
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function UploadProgressBar({ progress }: { progress: UploadProgress }) {
  const pct = percentOf(progress.loaded, progress.total);
  const sent = progress.total > 0 && progress.loaded >= progress.total;
  return (
    <div className="progress-block" role="group" aria-label="Upload status">
      <div className="progress-line">
        <span>{sent ? "Sent; the server is storing the file…" : "Uploading…"}</span>
        <span className="mono" aria-live="off">
          {pct}% · {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
        </span>
      </div>
      <progress
        className="progress"
        aria-label="Upload progress"
        max={progress.total || 1}
        value={progress.loaded}
      >
        {pct}%
      </progress>
    </div>
  );
}
