import type { ScoringProfile } from "@/lib/schemas/eval-metrics";

/** One line per profile, for a suite's settings and an eval run's header. */
export const PROFILE_SUMMARY: Record<ScoringProfile, string> = {
  retune:
    "retune (default): BFCL's AST rules with acceptable sets, plus the deliberate differences listed below.",
  bfcl: "bfcl: parity with BFCL's AST checker (ast_checker.py): its string standardisation, its type rules on the raw argument text, its pairing of parallel calls.",
};

/**
 * Where each profile departs from BFCL's AST checker, in words the README, the suite settings
 * and the eval run's header show as is. `retune` lists its deliberate differences (where we
 * judge BFCL wrong or too narrow for a product's own suites); `bfcl` lists the limits of its
 * parity (what the checker's inputs do not let us reproduce, and how we read what BFCL cannot).
 */
export const PROFILE_DIFFERENCES: Record<ScoringProfile, readonly string[]> = {
  retune: [
    "Parallel calls are paired by maximum bipartite matching, so every valid order of the calls passes; BFCL pairs each expected call with the first unused call that fits and can fail a valid order when acceptable sets overlap.",
    "An integer is accepted where a float is expected, inside arrays too (BFCL converts a top-level integer but refuses an integer among a float array's items).",
    "An integral float (5.0) passes where an integer is expected; BFCL reads the raw text and refuses it.",
    "Strings ignore every whitespace character (tabs, newlines, non-breaking spaces), not only spaces; otherwise the same standardisation as BFCL (lower-cased; , . / - _ * ^ removed; ' read as \").",
    "Types follow the tool's JSON Schema at every depth (nested objects' fields, arrays of arrays, unions, null, additionalProperties); BFCL checks array items one level deep, nothing inside objects, and reads 'any' as a string.",
    "null passes wherever the acceptable set lists it; BFCL accepts it only when null is the first listed value other than \"\" (its 'variable' rule), and accepts any value of that first value's type in place of the schema's type.",
    "A plain reference (one value per argument) may leave out an optional argument when the schema's default equals the reference's value, and accepts an argument the reference omits when it equals the default; BFCL has no defaults, only \"\" in an acceptable set.",
    'An empty list does not stand for an omitted argument; BFCL\'s list checker reads "" in an acceptable set as the empty list.',
    "A tool-call attempt that does not parse fails a case that expects no call; BFCL's irrelevance check counts anything that does not decode as no call.",
  ],
  bfcl: [
    "Integral floats are told from integers only when the target kept the raw argument text (endpoint targets do); otherwise 5.0 arrived as 5 and is judged as the integer 5.",
    "Acceptable values come from JSON, where BFCL's 5.0 is already 5: a whole acceptable value is read as a float where the schema says float or number, else as an integer (BFCL's data writes float values as 5.0).",
    "Function names compare exactly; BFCL rewrites '.' to '_' for models whose API forbids dots, so a suite must carry the names its tools declare.",
    "JSON Schema words BFCL does not use are read as its own (number as float, object as dict); a type it does not know, a missing schema or a tool the case does not declare is compared without a type check, where BFCL's checker would stop with an error.",
    "A case with no expected call is judged like BFCL's irrelevance category (a text answer or an unparseable attempt passes), and one expecting any call like its relevance category.",
    "A failed case lists every problem of the closest call; BFCL reports only its first error. Verdicts are the same.",
    "tool_name_accuracy (the called names as a multiset) is retune's own metric; BFCL has no counterpart.",
  ],
};
