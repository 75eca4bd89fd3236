/**
 * Parsers for option and argument values. Commander turns an InvalidArgumentError into a usage
 * error naming the option (exit 2), before any request is made.
 */
import { type Command, InvalidArgumentError, type Option } from "commander";

export function intArg(min = 0): (raw: string) => number {
  return (raw) => {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError("expected a whole number");
    if (n < min) throw new InvalidArgumentError(`expected at least ${min}`);
    return n;
  };
}

export function numberArg(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

/** A fixed list, matched in any case and returned as the list spells it ("production" → "PRODUCTION"). */
export function oneOf<T extends string>(values: readonly T[]): (raw: string) => T {
  return (raw) => {
    const hit = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
    if (!hit) throw new InvalidArgumentError(`expected one of ${values.join(", ")}`);
    return hit;
  };
}

/**
 * Runs `prepare` when `sub` is the command being run, before it parses its options (and before
 * its --help), so option lists can come from modules that only that command loads: `retune
 * --help` stays fast while `--format`'s choices still come from lib/schemas.
 */
export function beforeParse(sub: Command, prepare: () => Promise<void>) {
  sub.parent?.hook("preSubcommand", async (_parent, called) => {
    if (called === sub) await prepare();
  });
}

/** `option` takes one of `values`, in any case; its help lists them. */
export function choicesAnyCase(option: Option, values: readonly string[]): void {
  option.choices(values).argParser(oneOf(values));
}
