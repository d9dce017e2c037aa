#!/usr/bin/python3
"""Assembles the real-outputs evaluation set (real_outputs.jsonl) for the verifier from public sources.

Run: /usr/bin/python3 assemble.py MIRRORS_DIR BENCHMARKS_DIR OUT.jsonl
MIRRORS_DIR holds git mirrors <owner>+<name>/repo of the repositories named in README.md (read with `git show`,
nothing is executed); BENCHMARKS_DIR is shared/data/benchmarks. Sampling is seeded, so the set is reproducible.
Labels: see README.md; LABEL_OVERRIDES lists every case whose source label was changed after reading it.
"""
import ast, json, random, re, subprocess, sys
from fractions import Fraction

MAX_OUTPUT = 2000
SOURCES = {
    "gsm8k_gpt3": ("openai+grade-school-math", "3101c7d5072418e28b9008a6636bde82a006892c",
                   "grade_school_math/data/example_model_solutions.jsonl"),
    "gsm8k_tora70b": ("microsoft+ToRA", "213c1c995038c73fab10343814df7a42f990f026",
                      "src/outputs/llm-agents/tora-70b-v1.0/gsm8k/test_tora_-1_seed0_t0.0_s0_e1319.jsonl"),
    "gsm8k_toracode34b": ("microsoft+ToRA", "213c1c995038c73fab10343814df7a42f990f026",
                          "src/outputs/llm-agents/tora-code-34b-v1.0/gsm8k/test_tora_-1_seed0_t0.0_s0_e1319.jsonl"),
}
MV = ("huggingface+Math-Verify", "5d148cfaaf99214c2e4ffb4bc497ab042c592a7a")
MV_TESTS = {   # file -> test functions whose cases compare with the default precision (no strict/precision knobs)
    "tests/test_all.py": ["test_simple_fraction_notation", "test_sets_handling", "test_latex_notation",
                          "test_percent_notation", "test_latex_notation_math", "test_relations_math",
                          "test_matrix_extraction", "test_math_extraction_edge_cases",
                          "test_math_extraction_additional_cases", "test_number_extraction"],
    "tests/test_boxed.py": ["test_boxed"],
    "tests/test_numina_cases.py": ["test_numina_cases"],
    "tests/test_open_thoughts.py": ["test_open_thoughts"],
}
# id -> (label, why): source labels corrected after reading the case (decided by the mathematics).
LABEL_OVERRIDES = {
    "mathverify/test_all/test_latex_notation/5": (True, "the output's answer is 9; Math-Verify's test expects 0 only "
                                                  "because its LaTeX extraction does not let $…$ span lines"),
    "mathverify/test_all/test_latex_notation/6": (True, "the output's answer is 9, written in \\( \\) across lines"),
}


def show(mirrors, repo, commit, path):
    return subprocess.run(["git", "-C", f"{mirrors}/{repo}/repo", "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def trim(text, limit=MAX_OUTPUT):
    return text if len(text) <= limit else "…" + text[-limit:]


def gsm8k_gpt3(mirrors, rng):
    repo, commit, path = SOURCES["gsm8k_gpt3"]
    rows = [json.loads(l) for l in show(mirrors, repo, commit, path).splitlines() if l.strip()]
    for i in sorted(rng.sample(range(len(rows)), 220)):
        row = rows[i]
        gold = row["ground_truth"].rsplit("A:", 1)[1].strip().replace(",", "")
        for model in ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"):
            sample = row[model]
            yield dict(id=f"gsm8k_gpt3/{i}/{model}", source="gsm8k_gpt3", output=trim(sample["solution"]),
                       gold=gold, label=bool(sample["is_correct"]), label_method="source")


def number(text):
    try:
        return Fraction(text.replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return None


def gsm8k_tora(mirrors, rng, name):
    repo, commit, path = SOURCES[name]
    rows = [json.loads(l) for l in show(mirrors, repo, commit, path).splitlines() if l.strip()]
    for i in sorted(rng.sample(range(len(rows)), 330)):
        row = rows[i]
        # ToRA's own parser took `pred` from the last \boxed{} (else the program output); the label is whether
        # that value equals the integer gold, read again by hand where a verifier disagrees.
        pred, gold = number(row["pred"][0] or ""), number(row["gt"])
        yield dict(id=f"{name}/{row['idx']}", source=name, output=trim(row["code"][0]), gold=row["gt"],
                   label=pred is not None and pred == gold, label_method="math")


def math_verify_cases(mirrors):
    repo, commit = MV
    for path, functions in MV_TESTS.items():
        tree = ast.parse(show(mirrors, repo, commit, path))
        for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in functions):
            for deco in fn.decorator_list:
                if not (isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize"):
                    continue
                for k, case in enumerate(ast.literal_eval(deco.args[1])):
                    gold, pred, expected = case[:3]
                    yield dict(id=f"mathverify/{path.split('/')[-1][:-3]}/{fn.name}/{k}", source="mathverify_tests",
                               output=trim(pred, 8000), gold=gold, label=bool(expected), label_method="source")


def math500_solutions(benchmarks):
    # Human-written MATH reference solutions as outputs (MATH-style boxed text: several boxes, \text{} answers,
    # trailing prose); the gold is the dataset's answer field, which was taken from that solution.
    for line in open(f"{benchmarks}/math500.jsonl", encoding="utf-8"):
        row = json.loads(line)
        yield dict(id=f"math500_solution/{row['unique_id']}", source="math500_solution", output=trim(row["solution"]),
                   gold=row["answer"], label=True, label_method="math")


def math500_mismatched(benchmarks, rng):
    # The same solutions against another problem's answer: label False, decided by the mathematics (pairs whose
    # two answers are the same text or the same number are dropped; those a verifier calls equal were read).
    rows = [json.loads(line) for line in open(f"{benchmarks}/math500.jsonl", encoding="utf-8")]
    order = list(range(len(rows)))
    rng.shuffle(order)
    for a, b in zip(order, order[1:] + order[:1]):
        mine, other = rows[a]["answer"], rows[b]["answer"]
        same_number = number(mine) is not None and number(mine) == number(other)
        if re.sub(r"\s", "", mine) == re.sub(r"\s", "", other) or same_number:
            continue
        yield dict(id=f"math500_mismatched/{rows[a]['unique_id']}", source="math500_mismatched",
                   output=trim(rows[a]["solution"]), gold=other, label=False, label_method="math")


def main(mirrors, benchmarks, out):
    rng = random.Random(17)
    cases = [*gsm8k_gpt3(mirrors, rng), *gsm8k_tora(mirrors, rng, "gsm8k_tora70b"),
             *gsm8k_tora(mirrors, rng, "gsm8k_toracode34b"), *math_verify_cases(mirrors), *math500_solutions(benchmarks),
             *math500_mismatched(benchmarks, rng)]
    seen = set()
    with open(out, "w", encoding="utf-8") as f:
        for case in cases:
            if case["id"] in seen:
                continue
            seen.add(case["id"])
            if case["id"] in LABEL_OVERRIDES:
                case["label"], why = LABEL_OVERRIDES[case["id"]]
                case["label_method"] = "math: " + why
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(seen)} cases → {out}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
