"""Writes NormalizationData.txt, the tables UnicodeNormalizer needs, from the Unicode Character Database.

usage: python3 generate_normalization_data.py [UCD_DIR] [MAX_AGE]   (defaults: /usr/share/unicode 9.0)

UCD_DIR is Debian's unicode-data package (UnicodeData.txt, DerivedAge.txt, DerivedNormalizationProps.txt). Only
characters assigned by Unicode MAX_AGE are kept: Hugging Face's tokenizers normalize with the Rust crate
unicode-normalization-alignments, whose tables are Unicode 9.0, and Ispo must give HF's ids. (Normalization
stability means an assigned character's mapping never changes, so dropping later characters is the only
difference between versions.)

Output, one record a line, code points in hex:
  c START END CCC        canonical combining class of a range (absent: 0)
  d CP TYPE SEQ...       one-level decomposition; TYPE c canonical, k compatibility (Hangul syllables are algorithmic)
  x CP                   Full_Composition_Exclusion of a starter with a two-starter canonical decomposition (the
                         exclusions the reader cannot derive)
"""
import os
import sys


def ranges(path, parse):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            lo, _, hi = fields[0].partition("..")
            yield int(lo, 16), int(hi or lo, 16), parse(fields[1:])


def main(ucd, max_age):
    limit = tuple(int(x) for x in max_age.split("."))
    assigned = set()
    for lo, hi, age in ranges(os.path.join(ucd, "DerivedAge.txt"), lambda f: tuple(int(x) for x in f[0].split("."))):
        if age <= limit:
            assigned.update(range(lo, hi + 1))
    ccc, decomposition = {}, {}
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.split(";")
            cp = int(fields[0], 16)
            if cp not in assigned:
                continue
            if int(fields[3]):
                ccc[cp] = int(fields[3])
            if fields[5]:
                parts = fields[5].split()
                kind = "k" if parts[0].startswith("<") else "c"
                decomposition[cp] = (kind, [p for p in parts if not p.startswith("<")])
    excluded = set()
    for lo, hi, prop in ranges(os.path.join(ucd, "DerivedNormalizationProps.txt"), lambda f: f[0]):
        if prop == "Full_Composition_Exclusion":
            excluded.update(c for c in range(lo, hi + 1) if c in assigned)
    out = [f"# Unicode {max_age} normalization tables from {ucd}; regenerate with generate_normalization_data.py"]
    run = None
    for cp in sorted(ccc):
        if run and run[1] == cp - 1 and run[2] == ccc[cp]:
            run[1] = cp
            continue
        if run:
            out.append(f"c {run[0]:X} {run[1]:X} {run[2]}")
        run = [cp, cp, ccc[cp]]
    out.append(f"c {run[0]:X} {run[1]:X} {run[2]}")
    out += [f"d {cp:X} {kind} {' '.join(seq)}" for cp, (kind, seq) in sorted(decomposition.items())]
    # Singletons and decompositions of or into a non-starter are never composed; the reader derives those.
    pairs = {cp for cp, (kind, seq) in decomposition.items()
             if kind == "c" and len(seq) == 2 and cp not in ccc and int(seq[0], 16) not in ccc}
    out += [f"x {cp:X}" for cp in sorted(excluded & pairs)]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "NormalizationData.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode", sys.argv[2] if len(sys.argv) > 2 else "9.0")
