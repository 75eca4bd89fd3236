import { describe, expect, it } from "vitest";
import {
  isTrainerHeadline,
  parseTrainerLine,
  trainerErrorHeadline,
  type TrainerErrorEvent,
} from "./trainer-log";

/** Lines copied verbatim from a real `trainers/sft.py` run here (transformers 5.17.0, tiny-chat). */
const SFT_RUN = [
  `[retune] {"event":"train_begin","max_steps":375,"resume_step":0,"train_examples":380,"eval_examples":20,"skipped":0}`,
  `{'loss': '0.7935', 'grad_norm': '0.3172', 'learning_rate': '0.002989', 'epoch': '1.042', 'step': 25}`,
  `{'loss': '0.4906', 'grad_norm': '0.1372', 'learning_rate': '0.002916', 'epoch': '2.083', 'step': 50}`,
  `{'loss': '0.448', 'grad_norm': '0.178', 'learning_rate': '0.002581', 'epoch': '4.167', 'step': 100}`,
  `{'eval_loss': '0.4671', 'eval_runtime': '0.2731', 'eval_samples_per_second': '73.25', 'eval_steps_per_second': '7.325', 'epoch': '4.167', 'step': 100}`,
  `[retune] {"event":"checkpoint","step":100}`,
  `{'loss': '0.379', 'grad_norm': '0.1814', 'learning_rate': '5.556e-08', 'epoch': '15.62', 'step': 375}`,
  `{'train_runtime': '514.1', 'train_samples_per_second': '11.67', 'train_steps_per_second': '0.729', 'train_loss': '0.4457', 'epoch': '15.62', 'step': 375}`,
  `[retune] {"event":"done","files":[{"name":"README.md","bytes":5178},{"name":"adapter_config.json","bytes":1169},{"name":"adapter_model.safetensors","bytes":531440},{"name":"training_args.bin","bytes":5201}]}`,
];

describe("parseTrainerLine: a real sft.py run (transformers 5, quoted numbers)", () => {
  it("reads training log dicts with their step", () => {
    expect(parseTrainerLine(SFT_RUN[1]!)).toEqual({
      kind: "metrics",
      step: 25,
      values: { loss: 0.7935, grad_norm: 0.3172, learning_rate: 0.002989, epoch: 1.042 },
    });
    expect(parseTrainerLine(SFT_RUN[6]!)).toMatchObject({
      step: 375,
      values: { learning_rate: 5.556e-8 },
    });
  });

  it("reads eval dicts and the final summary", () => {
    expect(parseTrainerLine(SFT_RUN[4]!)).toEqual({
      kind: "metrics",
      step: 100,
      values: {
        eval_loss: 0.4671,
        eval_runtime: 0.2731,
        eval_samples_per_second: 73.25,
        eval_steps_per_second: 7.325,
        epoch: 4.167,
      },
    });
    expect(parseTrainerLine(SFT_RUN[7]!)).toEqual({
      kind: "metrics",
      step: 375,
      values: {
        train_runtime: 514.1,
        train_samples_per_second: 11.67,
        train_steps_per_second: 0.729,
        train_loss: 0.4457,
        epoch: 15.62,
      },
    });
  });

  it("reads [retune] events", () => {
    expect(parseTrainerLine(SFT_RUN[0]!)).toEqual({
      kind: "event",
      event: {
        event: "train_begin",
        max_steps: 375,
        resume_step: 0,
        train_examples: 380,
        eval_examples: 20,
        skipped: 0,
      },
    });
    expect(parseTrainerLine(SFT_RUN[5]!)).toEqual({
      kind: "event",
      event: { event: "checkpoint", step: 100 },
    });
    const done = parseTrainerLine(SFT_RUN[8]!);
    expect(
      done?.kind === "event" && done.event.event === "done" && done.event.files,
    ).toContainEqual({
      name: "adapter_model.safetensors",
      bytes: 531440,
    });
  });

  it("parses every line of the run", () => {
    expect(SFT_RUN.map(parseTrainerLine).every((r) => r !== null)).toBe(true);
  });

  it("reads generate.py progress events", () => {
    expect(parseTrainerLine(`[retune] {"event":"progress","done":16,"total":100}`)).toEqual({
      kind: "event",
      event: { event: "progress", done: 16, total: 100 },
    });
  });
});

describe("parseTrainerLine: transformers 4 (plain numbers, no step)", () => {
  it("reads a training log", () => {
    expect(
      parseTrainerLine(
        "{'loss': 1.2345, 'grad_norm': 0.532143237590789, 'learning_rate': 0.0002, 'epoch': 0.05}",
      ),
    ).toEqual({
      kind: "metrics",
      step: null,
      values: { loss: 1.2345, grad_norm: 0.532143237590789, learning_rate: 0.0002, epoch: 0.05 },
    });
  });

  it("reads exponents, integers and negative numbers", () => {
    expect(
      parseTrainerLine(
        "{'loss': 0.9, 'learning_rate': 1.9999999999999998e-05, 'epoch': 2, 'x': -3.5E+2}",
      ),
    ).toMatchObject({ values: { learning_rate: 1.9999999999999998e-5, epoch: 2, x: -350 } });
  });

  it("reads eval dicts and the final summary", () => {
    expect(
      parseTrainerLine(
        "{'eval_loss': 2.12345678901234, 'eval_runtime': 1.2345, 'eval_samples_per_second': 81.003, 'eval_steps_per_second': 10.125, 'epoch': 1.0}",
      ),
    ).toMatchObject({ kind: "metrics", values: { eval_loss: 2.12345678901234, epoch: 1 } });
    expect(
      parseTrainerLine(
        "{'train_runtime': 123.4567, 'train_samples_per_second': 12.345, 'train_steps_per_second': 1.543, 'train_loss': 1.98765432109876, 'epoch': 3.0}",
      ),
    ).toMatchObject({ values: { train_runtime: 123.4567, train_loss: 1.98765432109876 } });
  });

  it("reads Axolotl's extra keys, with spaces and slashes in them", () => {
    const r = parseTrainerLine(
      "{'loss': 1.2345, 'grad_norm': 0.53, 'learning_rate': 2e-05, 'epoch': 0.02, 'ppl': 3.4367, 'memory/max_active (GiB)': 10.5, 'memory/device_reserved (GiB)': 12.1, 'tokens/train_per_sec_per_gpu': 1234.5, 'tokens/total': 23456}",
    );
    expect(r).toMatchObject({
      values: { "memory/max_active (GiB)": 10.5, "tokens/total": 23456, ppl: 3.4367 },
    });
  });

  it("unwraps tensor(...) and NumPy 2 scalar reprs", () => {
    expect(
      parseTrainerLine(
        "{'loss': 0.61, 'grad_norm': tensor(0.8712, device='cuda:0'), 'eval_accuracy': np.float64(0.85), 'epoch': 0.5}",
      ),
    ).toMatchObject({ values: { loss: 0.61, grad_norm: 0.8712, eval_accuracy: 0.85, epoch: 0.5 } });
  });
});

describe("parseTrainerLine: nan, inf and non-numeric values", () => {
  it("keeps nan and inf, bare (transformers 4) or quoted (5)", () => {
    const four = parseTrainerLine("{'loss': nan, 'grad_norm': inf, 'x': -inf, 'epoch': 0.5}");
    expect(four?.kind).toBe("metrics");
    if (four?.kind !== "metrics") return;
    expect(four.values.loss).toBeNaN();
    expect(four.values.grad_norm).toBe(Number.POSITIVE_INFINITY);
    expect(four.values.x).toBe(Number.NEGATIVE_INFINITY);

    const five = parseTrainerLine("{'loss': 'nan', 'grad_norm': 'inf', 'epoch': '0.5', 'step': 3}");
    if (five?.kind !== "metrics") throw new Error("expected metrics");
    expect(five.values.loss).toBeNaN();
    expect(five.values.grad_norm).toBe(Number.POSITIVE_INFINITY);
    expect(five.step).toBe(3);
  });

  it("drops strings, booleans, None and nested values", () => {
    expect(
      parseTrainerLine(
        "{'loss': 1.5, 'note': 'warm-up', 'flag': True, 'none': None, 'hist': [1, 2], 'cfg': {'a': 1}, 'epoch': 0.1}",
      ),
    ).toEqual({ kind: "metrics", step: null, values: { loss: 1.5, epoch: 0.1 } });
  });

  it("handles keys and strings with quotes and escapes", () => {
    expect(
      parseTrainerLine(`{'loss': 1.0, "it's": 2, 'a\\'b': 3, 'msg': 'say "hi", ok}'}`),
    ).toMatchObject({ values: { loss: 1, "it's": 2, "a'b": 3 } });
  });

  it("ignores a non-integer or quoted step but keeps the metrics", () => {
    expect(parseTrainerLine("{'loss': 1.0, 'step': 2.5}")).toMatchObject({
      step: null,
      values: { loss: 1 },
    });
  });
});

describe("parseTrainerLine: what surrounds the log lines", () => {
  it("strips line endings, Docker timestamps and progress bars", () => {
    const line = "{'loss': '4.864', 'epoch': '0.125', 'step': 1}";
    const want = { kind: "metrics", step: 1, values: { loss: 4.864, epoch: 0.125 } };
    expect(parseTrainerLine(line + "\n")).toEqual(want);
    expect(parseTrainerLine(line + "\r\n")).toEqual(want);
    expect(parseTrainerLine("2026-05-01T12:34:56.123456789Z " + line)).toEqual(want);
    expect(parseTrainerLine(" 50%|█████     | 2/4 [00:00<00:00, 39.44it/s]\r" + line)).toEqual(
      want,
    );
    expect(parseTrainerLine(" 50%|█████     | 2/4 [00:00<00:00, 39.44it/s]" + line)).toEqual(want);
    expect(
      parseTrainerLine(
        `  3%|▎         | 1/30 [00:00<00:05]\r[retune] {"event":"checkpoint","step":10}`,
      ),
    ).toEqual({ kind: "event", event: { event: "checkpoint", step: 10 } });
  });

  it("returns null for everything else", () => {
    const others = [
      "",
      "   ",
      " 50%|█████     | 2/4 [00:00<00:00, 39.44it/s]",
      "Traceback (most recent call last):",
      '  File "/work/main/trainers/sft.py", line 12, in <module>',
      "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
      "/x/peft/utils/other.py:1508: UserWarning: Unable to fetch remote file",
      "  warnings.warn(",
      "sft: skipped 3 rows that could not be rendered, e.g. train.jsonl:4: invalid JSON",
      "{'loss': '4.864', 'grad_no", // a partial line
      "{'loss': '4.864', 'grad_norm': '0.19'", // no closing brace
      "{'loss': 1.0} trailing",
      "{}",
      "{'a': 1, 'b': 2}", // a dict, but not a Trainer log
      "{'loss': 'high'}", // no numeric value
      "{1: 2}",
      '{"loss": }',
      "[retune] ",
      '[retune] {"event":"checkpoint"', // partial event
      '[retune] {"event":"checkpoint","step":"ten"}', // wrong shape
      '[retune] {"event":"something_new","x":1}', // unknown event
      '[retune] ["event"]',
      "[retune]{}",
      "[INFO] {'loss': 1.0", // partial after a prefix
    ];
    for (const line of others) expect(parseTrainerLine(line), line).toBeNull();
  });

  it("does not let a key named __proto__ touch the prototype", () => {
    const r = parseTrainerLine("{'loss': 1.0, '__proto__': 5}");
    expect(r).toEqual({ kind: "metrics", step: null, values: { loss: 1 } });
    if (r?.kind === "metrics") expect(Object.getPrototypeOf(r.values)).toBe(Object.prototype);
  });

  it("never throws, whatever the input", () => {
    const samples = [
      ...SFT_RUN,
      "{'loss': tensor(0.5), 'x': np.float64(1)}",
      "{'a': ((((",
      "{'a': '\\",
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = `{}[]()'":,\\ .-+e0123456789abnfiTNretun_\r\n`;
    for (let n = 0; n < 3000; n++) {
      const base = samples[n % samples.length]!;
      let line: string;
      if (n % 3 === 0)
        line = base.slice(0, Math.floor(rand() * base.length)); // every prefix length
      else {
        const chars = [...base];
        for (let k = 0; k < 3; k++) {
          chars[Math.floor(rand() * chars.length)] =
            alphabet[Math.floor(rand() * alphabet.length)]!;
        }
        line = chars.join("");
      }
      expect(() => parseTrainerLine(line)).not.toThrow();
    }
    expect(parseTrainerLine(undefined as unknown as string)).toBeNull();
    expect(parseTrainerLine("{'loss': 1.0, " + "'k': 1, ".repeat(20_000) + "}")).toBeNull(); // > 64 KiB
  });
});

describe("error events: the trainer's own reason for a non-zero exit", () => {
  // As trainers/sft.py prints them (emit("error", kind=..., message=...)).
  const QLORA_ON_CPU = `[retune] {"event":"error","kind":"environment","message":"method QLORA loads the base in 4 bits with bitsandbytes, which needs a CUDA GPU; this host has none. Use method LORA to train on CPU."}`;

  it("parses an error event with its kind and message", () => {
    expect(parseTrainerLine(QLORA_ON_CPU)).toEqual({
      kind: "event",
      event: {
        event: "error",
        kind: "environment",
        message:
          "method QLORA loads the base in 4 bits with bitsandbytes, which needs a CUDA GPU; this host has none. Use method LORA to train on CPU.",
      },
    });
  });

  it("accepts an error without kind, and refuses one without a message or with an unknown kind", () => {
    expect(parseTrainerLine(`[retune] {"event":"error","message":"boom"}`)).toEqual({
      kind: "event",
      event: { event: "error", message: "boom" },
    });
    expect(parseTrainerLine(`[retune] {"event":"error"}`)).toBeNull();
    expect(parseTrainerLine(`[retune] {"event":"error","message":""}`)).toBeNull();
    expect(parseTrainerLine(`[retune] {"event":"error","kind":"oops","message":"x"}`)).toBeNull();
  });

  it("finds the event after a timestamp or a progress bar on the same line", () => {
    const line = `2026-01-02T03:04:05.123456789Z Loading: 40%|####  \r${QLORA_ON_CPU}`;
    expect(parseTrainerLine(line)).toMatchObject({ kind: "event", event: { event: "error" } });
  });

  it("makes a job headline: a refusal for input and environment, a failure otherwise", () => {
    const ev = (kind: TrainerErrorEvent["kind"], message: string): TrainerErrorEvent => ({
      event: "error",
      kind,
      message,
    });
    expect(trainerErrorHeadline(ev("environment", "QLoRA needs a CUDA GPU  "))).toBe(
      "the trainer refused the spec: QLoRA needs a CUDA GPU",
    );
    expect(trainerErrorHeadline(ev("input", "spec.lora.r: must be greater than 0, got 0"))).toBe(
      "the trainer refused the spec: spec.lora.r: must be greater than 0, got 0",
    );
    expect(trainerErrorHeadline(ev("internal", "RuntimeError: CUDA out of memory"))).toBe(
      "the trainer failed: RuntimeError: CUDA out of memory",
    );
    expect(trainerErrorHeadline(ev(undefined, "x".repeat(5000))).length).toBe(2000);
  });

  it("tells its headlines from other errors", () => {
    expect(isTrainerHeadline("the trainer refused the spec: x")).toBe(true);
    expect(isTrainerHeadline("the trainer failed: x")).toBe(true);
    expect(isTrainerHeadline("the trainer exited with status 3")).toBe(false);
    expect(isTrainerHeadline("ValueError: x")).toBe(false);
    expect(isTrainerHeadline(null)).toBe(false);
  });
});
