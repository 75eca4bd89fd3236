/**
 * The BFCL sample checked in under test/data/bfcl (its README.md says where each file comes
 * from and how the lines were chosen): per category, the question file and its possible_answer
 * file, relative to that folder. For the tests; reading the files is theirs (lib/domain does
 * no I/O).
 */
export const BFCL_SAMPLE_FILES: readonly {
  category: string;
  questions: string;
  answers: string | null;
}[] = [
  {
    category: "simple_python",
    questions: "BFCL_v4_simple_python.json",
    answers: "possible_answer/BFCL_v4_simple_python.json",
  },
  {
    category: "multiple",
    questions: "BFCL_v4_multiple.json",
    answers: "possible_answer/BFCL_v4_multiple.json",
  },
  {
    category: "parallel",
    questions: "BFCL_v4_parallel.json",
    answers: "possible_answer/BFCL_v4_parallel.json",
  },
  {
    // The index this sample was taken from holds v4's parallel_multiple answers but only v3's
    // questions (same ids, same functions; README.md).
    category: "parallel_multiple",
    questions: "BFCL_v3_parallel_multiple.json",
    answers: "possible_answer/BFCL_v4_parallel_multiple.json",
  },
  {
    category: "live_simple",
    questions: "BFCL_v4_live_simple.json",
    answers: "possible_answer/BFCL_v4_live_simple.json",
  },
  { category: "irrelevance", questions: "BFCL_v4_irrelevance.json", answers: null },
  { category: "live_relevance", questions: "BFCL_v4_live_relevance.json", answers: null },
];
