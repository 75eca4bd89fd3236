"use client";

import { useState, type FormEvent } from "react";
import { THROUGHPUT_BASES, type PriceEntry, type PriceList } from "@/lib/schemas/economics";
import type { TeamPriceList } from "@/lib/schemas/price-list";
import { ApiClientError } from "@/lib/client/api";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { usePutTeamPrices, useResetTeamPrices, useTeamPrices } from "@/lib/client/hooks/economics";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { QueryView } from "@/components/ui/query-view";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { TimeStamp } from "@/components/ui/time-stamp";
import {
  blankPriceForm,
  formToPrice,
  PRICE_FIELDS,
  priceToForm,
  serverPriceErrors,
  THROUGHPUT_BASIS_LABEL,
  type PriceFormValues,
  type PriceKind,
} from "./price-form";
import { priceFigure, priceName } from "./prices-used";

const KIND_LABEL: Record<PriceKind, string> = {
  frontier: "frontier price",
  self_hosted: "serving price",
};

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Adds an entry (no `index`) or edits entry `index`; saving PUTs the whole list with the change,
 * and a 422 naming this entry's fields is shown beside them.
 */
function PriceEntryDialog({
  list,
  kind,
  index,
}: {
  list: PriceList;
  kind: PriceKind;
  index?: number;
}) {
  const editing = index === undefined ? undefined : list[index];
  const put = usePutTeamPrices();
  const [open, setOpen] = useState(false);
  const initial = () => (editing ? priceToForm(editing) : blankPriceForm(kind, today()));
  const [values, setValues] = useState<PriceFormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const target = index ?? list.length;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) setValues(initial());
    else {
      put.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = formToPrice(kind, values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    const entries =
      index === undefined
        ? [...list, parsed.entry]
        : list.map((p, i) => (i === index ? parsed.entry : p));
    put.mutate({ entries }, { onSuccess: () => onOpenChange(false) });
  }

  const server =
    put.error instanceof ApiClientError ? serverPriceErrors(put.error.issues, target) : {};
  const all = { ...server, ...errors };
  const name = editing ? priceName(editing) : undefined;
  const set = (key: string) => (v: string) => setValues((s) => ({ ...s, [key]: v }));

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {editing ? (
          <Button size="sm" variant="ghost" aria-label={`Edit price ${name}`}>
            Edit
          </Button>
        ) : (
          <Button size="sm" variant={kind === "frontier" ? "primary" : "secondary"}>
            Add {KIND_LABEL[kind]}
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={editing ? `Edit ${name}` : `Add a ${KIND_LABEL[kind]}`}
        description="Every cost figure names the prices it used with their as-of day, so date the figure when you change it."
      >
        <form className="form" onSubmit={submit} noValidate>
          <div className="form-grid">
            {PRICE_FIELDS[kind].map((f) => (
              <Field
                key={f.key}
                label={f.label}
                hint={f.hint}
                error={all[f.key]}
                required
                className={f.type === "textarea" ? "econ-wide-field" : undefined}
              >
                {f.type === "textarea" ? (
                  <Textarea
                    rows={3}
                    value={values[f.key] ?? ""}
                    onChange={(e) => set(f.key)(e.currentTarget.value)}
                  />
                ) : f.type === "basis" ? (
                  <Select
                    value={values[f.key] ?? "configured"}
                    onChange={(e) => set(f.key)(e.currentTarget.value)}
                    options={THROUGHPUT_BASES.map((b) => ({
                      value: b,
                      label: THROUGHPUT_BASIS_LABEL[b],
                    }))}
                  />
                ) : (
                  <Input
                    type={f.type === "date" ? "date" : "text"}
                    inputMode={f.type === "number" ? "decimal" : undefined}
                    className={f.key === "id" ? "mono" : undefined}
                    value={values[f.key] ?? ""}
                    onChange={(e) => set(f.key)(e.currentTarget.value)}
                  />
                )}
              </Field>
            ))}
          </div>
          {put.error && (all[""] || Object.keys(server).length === 0) && (
            <ErrorState title="Could not save the price list" error={all[""] ?? put.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={put.isPending}>
              Save price
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function PriceTable({
  data,
  kind,
  manage,
}: {
  data: TeamPriceList;
  kind: PriceKind;
  manage: boolean;
}) {
  const put = usePutTeamPrices();
  const list = data.entries.map((e) => e.price);
  const rows = data.entries
    .map((e, index) => ({ ...e, index }))
    .filter((e) => e.price.kind === kind);
  const title = kind === "frontier" ? "Frontier models" : "Self-hosted serving";
  return (
    <section className="stack" aria-label={title}>
      <h3 className="form-section-title">{title}</h3>
      <Table caption={title}>
        <THead>
          <Tr>
            <Th>Price</Th>
            <Th>Figures</Th>
            <Th>As of</Th>
            <Th>Source</Th>
            <Th>Updated</Th>
            {manage && (
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            )}
          </Tr>
        </THead>
        <TBody>
          {rows.map(({ price, updatedAt, index }) => (
            <Tr key={`${price.kind}/${price.id}`}>
              <Td>
                {priceName(price)}
                <span className="cell-sub mono">{price.id}</span>
              </Td>
              <Td className="mono small">{priceFigure(price)}</Td>
              <Td className="mono nowrap">{price.asOf}</Td>
              <Td className="small">{price.source}</Td>
              <Td className="nowrap">
                {updatedAt ? (
                  <TimeStamp iso={updatedAt} format="relative" />
                ) : (
                  <span className="cell-sub">seeded</span>
                )}
              </Td>
              {manage && (
                <Td align="right" className="nowrap">
                  <PriceEntryDialog list={list} kind={kind} index={index} />
                  <ConfirmDialog
                    trigger={
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete price ${priceName(price)}`}
                      >
                        Delete
                      </Button>
                    }
                    title={`Delete ${priceName(price)}?`}
                    description="Planner inputs that name it will need another price. The list keeps at least one frontier and one serving price."
                    confirmLabel="Delete price"
                    onConfirm={() =>
                      put.mutateAsync({ entries: list.filter((_, i) => i !== index) })
                    }
                  />
                </Td>
              )}
            </Tr>
          ))}
        </TBody>
      </Table>
    </section>
  );
}

/** Settings → Prices: the team's dated price list; engineers and up edit it. */
export function PriceListPanel() {
  const active = useActiveTeam();
  const manage = active?.can("resource.write") ?? false;
  const prices = useTeamPrices();
  const reset = useResetTeamPrices();
  if (!active) return <LoadingState label="Loading prices…" rows={4} />;
  const list: PriceEntry[] = prices.data?.entries.map((e) => e.price) ?? [];
  return (
    <Card>
      <CardHeader
        title="Prices"
        description={
          manage
            ? "Frontier list prices and self-hosted serving costs the planner and live economics price with. Each entry says when it was read."
            : `The prices cost figures use. Engineers and up edit them; your role is ${active.team.role}.`
        }
        actions={
          manage && prices.data ? (
            <>
              <PriceEntryDialog list={list} kind="frontier" />
              <PriceEntryDialog list={list} kind="self_hosted" />
              {prices.data.origin === "team" && (
                <ConfirmDialog
                  trigger={<Button size="sm">Reset to seeded prices</Button>}
                  title="Reset to the seeded prices?"
                  description="The team's entries are removed; retune's dated public list prices are used until you save again."
                  confirmLabel="Reset prices"
                  onConfirm={() => reset.mutateAsync()}
                />
              )}
            </>
          ) : undefined
        }
      />
      <CardBody>
        <QueryView
          query={prices}
          loading="Loading prices…"
          rows={4}
          errorTitle="Could not load the price list"
          isEmpty={(d) => d.entries.length === 0}
          empty={
            <EmptyState
              title="No readable prices"
              description="The saved entries could not be read by this version of retune. Reset to the seeded prices, or add entries again."
            />
          }
        >
          {(data) => (
            <div className="stack-lg">
              {data.origin === "seed" ? (
                <Notice>
                  <Badge tone="info">seeded</Badge> These are retune&apos;s dated public list
                  prices; the team has not saved its own. Editing any entry saves the whole list for
                  the team.
                </Notice>
              ) : (
                data.updatedAt && (
                  <p className="muted small">
                    The team&apos;s list, last changed{" "}
                    <TimeStamp iso={data.updatedAt} format="relative" />.
                  </p>
                )
              )}
              <PriceTable data={data} kind="frontier" manage={manage} />
              <PriceTable data={data} kind="self_hosted" manage={manage} />
            </div>
          )}
        </QueryView>
      </CardBody>
    </Card>
  );
}
