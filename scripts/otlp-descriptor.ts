/**
 * npx tsx scripts/otlp-descriptor.ts
 * Writes lib/server/telemetry/otlp-proto/descriptor.json, the protobufjs JSON descriptor of the
 * vendored OTLP .proto files (lib/server/telemetry/otlp-proto/README.md). The server loads the
 * descriptor, not the .proto files: a JSON import is bundled with the route, while .proto files
 * read from disk at run time would have to be traced into the Next.js build by hand.
 * scripts/otlp-descriptor.test.ts fails when the committed descriptor and the .proto files differ.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import protobuf from "protobufjs";

const PROTO_DIR = path.resolve(import.meta.dirname, "../lib/server/telemetry/otlp-proto");
export const DESCRIPTOR_PATH = path.join(PROTO_DIR, "descriptor.json");

/** The collector's trace service and everything it imports, as protobufjs JSON. */
export function buildOtlpDescriptor(): unknown {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto");
  return root.toJSON();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // Formatted as `npm run format` would leave it.
  const text = await format(JSON.stringify(buildOtlpDescriptor()), { parser: "json" });
  writeFileSync(DESCRIPTOR_PATH, text);
  console.log(`wrote ${path.relative(process.cwd(), DESCRIPTOR_PATH)}`);
}
