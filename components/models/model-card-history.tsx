import type { ModelCard } from "@/lib/schemas/model-cards";
import type { GateStatus } from "@/lib/schemas/gates";
import { GATE_LABEL, GATE_TONE, STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";

/** A stored decision's status; cards without one knew only passed or not. */
function statusOf(d: ModelCard["decisions"][number]): GateStatus {
  return d.status ?? (d.passed ? "PASSED" : "FAILED");
}

/** Gate decisions and approvals, side by side. */
export function DecisionsCards({ card }: { card: ModelCard }) {
  return (
    <div className="two-col">
      <Card aria-labelledby="card-decisions-title">
        <CardHeader title={<span id="card-decisions-title">Gate decisions</span>} />
        {card.decisions.length === 0 ? (
          <EmptyState title="No gate decisions yet" />
        ) : (
          <CardBody>
            <ul className="decision-list">
              {card.decisions.map((d, i) => (
                <li key={i} className="decision">
                  <span className="inline-gap">
                    <Badge tone={GATE_TONE[statusOf(d)]}>{GATE_LABEL[statusOf(d)]}</Badge>
                    <span className="muted">
                      <TimeStamp iso={d.createdAt} />
                    </span>
                  </span>
                  {d.failures.length > 0 && (
                    <ul className="reason-list">
                      {d.failures.map((f, j) => (
                        <li key={j}>{f}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </CardBody>
        )}
      </Card>
      <Card aria-labelledby="card-approvals-title">
        <CardHeader title={<span id="card-approvals-title">Approvals</span>} />
        {card.approvals.length === 0 ? (
          <EmptyState title="No approvals recorded" />
        ) : (
          <CardBody>
            <ul className="decision-list">
              {card.approvals.map((a, i) => (
                <li key={i} className="decision">
                  <span className="inline-gap">
                    <Badge tone={a.decision === "APPROVED" ? "success" : "danger"}>
                      {a.decision === "APPROVED" ? "Approved" : "Rejected"}
                    </Badge>
                    <strong>{a.by}</strong>
                    <span className="muted">
                      <TimeStamp iso={a.at} />
                    </span>
                  </span>
                  {a.comment && <p className="decision-comment">{a.comment}</p>}
                </li>
              ))}
            </ul>
          </CardBody>
        )}
      </Card>
    </div>
  );
}

/** Every version of the Model with its stage changes; this version highlighted. */
export function HistoryCard({ card }: { card: ModelCard }) {
  const v = card.version;
  return (
    <Card aria-labelledby="card-history-title">
      <CardHeader title={<span id="card-history-title">Version history</span>} />
      {card.history.length === 0 ? (
        <EmptyState title="No history" />
      ) : (
        <Table caption="Version history">
          <THead>
            <Tr>
              <Th>Version</Th>
              <Th>Stage</Th>
              <Th>Created</Th>
              <Th>Stage changes</Th>
            </Tr>
          </THead>
          <TBody>
            {[...card.history]
              .sort((a, b) => b.version - a.version)
              .map((h) => (
                <Tr
                  key={h.version}
                  className={h.version === v.version ? "row-highlight" : undefined}
                >
                  <Td className="mono">v{h.version}</Td>
                  <Td>
                    <Badge tone={STAGE_TONE[h.stage]}>{STAGE_LABEL[h.stage]}</Badge>
                  </Td>
                  <Td className="nowrap">
                    <TimeStamp iso={h.createdAt} />
                  </Td>
                  <Td>
                    {h.promotions.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <ul className="reason-list">
                        {h.promotions.map((p, i) => (
                          <li key={i}>
                            {p.from ? STAGE_LABEL[p.from] : "—"} → {STAGE_LABEL[p.to]}{" "}
                            <span className="muted">
                              <TimeStamp iso={p.at} />
                              {p.by ? ` · ${p.by}` : ""}
                              {p.reason ? ` · ${p.reason}` : ""}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </Td>
                </Tr>
              ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
