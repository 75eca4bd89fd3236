import { describe, expect, it } from "vitest";
import { detectWideEncoding, wideEncodingMessage } from "./text-encoding";

const line = '{"messages":[{"role":"user","content":"hi"}]}\n';

function encode(text: string, encoding: string, bom: boolean): Buffer {
  const le16 = Buffer.from(text, "utf16le");
  const be16 = Buffer.from(le16).swap16();
  const le32 = Buffer.alloc(text.length * 4);
  [...text].forEach((c, i) => le32.writeUInt32LE(c.codePointAt(0)!, i * 4));
  const be32 = Buffer.from(le32).swap32();
  const body = { "UTF-16LE": le16, "UTF-16BE": be16, "UTF-32LE": le32, "UTF-32BE": be32 }[
    encoding
  ]!;
  const marks: Record<string, number[]> = {
    "UTF-16LE": [0xff, 0xfe],
    "UTF-16BE": [0xfe, 0xff],
    "UTF-32LE": [0xff, 0xfe, 0, 0],
    "UTF-32BE": [0, 0, 0xfe, 0xff],
  };
  return Buffer.concat([bom ? Buffer.from(marks[encoding]!) : Buffer.alloc(0), body]);
}

describe("detectWideEncoding", () => {
  for (const encoding of ["UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"] as const) {
    it(`recognizes ${encoding} with and without a BOM`, () => {
      expect(detectWideEncoding(encode(line, encoding, true))).toBe(encoding);
      expect(detectWideEncoding(encode(line, encoding, false))).toBe(encoding);
    });
  }

  it("recognizes UTF-16 whose BOM was decoded as UTF-8 on the way (a gzip's content)", () => {
    const seen = Buffer.from(encode(line, "UTF-16LE", true).toString("utf8"), "utf8");
    expect(detectWideEncoding(seen)).toBe("UTF-16LE");
  });

  it("leaves UTF-8 (with or without a BOM) and non-ASCII text alone", () => {
    expect(detectWideEncoding(Buffer.from(line))).toBeNull();
    expect(detectWideEncoding(Buffer.from(`\uFEFF${line}`))).toBeNull();
    expect(detectWideEncoding(Buffer.from('{"content":"café 東京 😀"}\n'))).toBeNull();
  });

  it("says what to do", () => {
    expect(wideEncodingMessage("UTF-16LE")).toMatch(
      /^the file is UTF-16 \(UTF-16LE\); re-save it as UTF-8/,
    );
  });
});
