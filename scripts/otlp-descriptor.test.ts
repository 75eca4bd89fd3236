import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildOtlpDescriptor, DESCRIPTOR_PATH } from "./otlp-descriptor";

describe("the OTLP protobuf descriptor", () => {
  it("is the one the vendored .proto files produce (else: npx tsx scripts/otlp-descriptor.ts)", () => {
    expect(JSON.parse(readFileSync(DESCRIPTOR_PATH, "utf8"))).toEqual(buildOtlpDescriptor());
  });
});
