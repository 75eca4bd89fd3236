import type { BadgeTone } from "@/lib/client/badge-tone";
import type { WorkerCapabilities } from "@/lib/schemas/health";
import { Badge } from "@/components/ui/badge";

type Item = { label: string; tone: BadgeTone; title: string | undefined };

/** One badge per capability a training worker reported; its reason shows on hover. */
export function capabilityItems(c: WorkerCapabilities): Item[] {
  const gpus = c.cuda.gpus;
  const names = [...new Set(gpus.map((g) => g.name))].join(", ");
  const engine = (
    name: string,
    p: { configured: boolean; reachable: boolean; reason: string | null },
    extra = "",
  ): Item =>
    !p.configured
      ? { label: `${name}: off`, tone: "neutral", title: p.reason ?? undefined }
      : p.reachable
        ? { label: `${name}: up${extra}`, tone: "success", title: p.reason ?? undefined }
        : { label: `${name}: down`, tone: "danger", title: p.reason ?? undefined };
  return [
    gpus.length
      ? { label: `GPU: ${gpus.length}× ${names}`, tone: "success", title: undefined }
      : { label: "GPU: none", tone: "neutral", title: c.cuda.reason ?? undefined },
    engine("Docker", c.docker, c.docker.nvidiaRuntime ? " (nvidia)" : ""),
    ...imagesItem(c.docker.images),
    engine("Kubernetes", c.kubernetes),
  ];
}

/** How many of the trainer images the engine holds; each one's state on hover. */
function imagesItem(images: WorkerCapabilities["docker"]["images"]): Item[] {
  if (!images.length) return [];
  const present = images.filter((i) => i.present).length;
  return [
    {
      label: `Trainer images: ${present} of ${images.length} on host`,
      tone: present === images.length ? "success" : "warning",
      title: images
        .map(
          (i) =>
            `${i.backend} ${i.image}: ${i.present ? "on the host" : "not on the host (a run pulls it first)"}`,
        )
        .join("\n"),
    },
  ];
}

export function WorkerCapabilitiesCell({
  capabilities,
  queues,
}: {
  capabilities: WorkerCapabilities | null;
  queues: string[];
}) {
  if (!capabilities)
    return <span className="muted">{queues.includes("training") ? "probing…" : "—"}</span>;
  return (
    <span className="badge-list">
      {capabilityItems(capabilities).map((i) => (
        <Badge key={i.label} tone={i.tone} title={i.title}>
          {i.label}
        </Badge>
      ))}
    </span>
  );
}
