-- List search (issue #18, lib/server/core/search.ts): every console list takes `q`, a
-- case-insensitive substring matched with ILIKE '%…%'. The lists that grow without bound (training
-- jobs, eval runs, traces) get pg_trgm GIN indexes, which serve such patterns. Hand-edited:
-- Prisma writes a generated column as a plain default (and cannot create the extension or the
-- function), so the two columns below are written here as PostgreSQL's STORED generated columns.
-- No semicolon may appear but the statements' own (the pg adapter splits the file at each).

-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- array_to_string is STABLE for arrays in general (it calls each element type's output
-- function), and IMMUTABLE in fact for text[]: declared so here, as a generated column requires.
-- Newline-separated, so a search never matches across two tool names.
CREATE OR REPLACE FUNCTION retune_tools_text(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT array_to_string($1, chr(10))';

-- AlterTable (existing rows are computed as the table is rewritten)
ALTER TABLE "EvalRun" ADD COLUMN "targetLabel" TEXT GENERATED ALWAYS AS (target ->> 'label'::text) STORED;

-- AlterTable
ALTER TABLE "Trace" ADD COLUMN "toolsText" TEXT GENERATED ALWAYS AS (retune_tools_text("toolsCalled")) STORED;

-- CreateIndex
CREATE INDEX "EvalRun_targetLabel_idx" ON "EvalRun" USING GIN ("targetLabel" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Trace_traceId_idx" ON "Trace" USING GIN ("traceId" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Trace_toolsText_idx" ON "Trace" USING GIN ("toolsText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "TrainingJob_name_idx" ON "TrainingJob" USING GIN ("name" gin_trgm_ops);
