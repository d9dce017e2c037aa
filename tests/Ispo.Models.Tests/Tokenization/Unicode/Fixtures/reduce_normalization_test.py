"""Writes NormalizationTest-9.0.txt: the lines of the Unicode NormalizationTest.txt whose characters were all
assigned by Unicode 9.0 (the version of Ispo's tables, see src/.../Unicode/generate_normalization_data.py):
parts 0, 2 and 3 whole and every tenth line of part 1 (character by character), to keep the file small.

usage: python3 reduce_normalization_test.py [UCD_DIR]   (default /usr/share/unicode, Debian's unicode-data)
"""
import bz2
import os
import sys


def assigned_by(ucd, limit):
    cps = set()
    with open(os.path.join(ucd, "DerivedAge.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            span, age = [x.strip() for x in line.split(";")]
            lo, _, hi = span.partition("..")
            if tuple(int(x) for x in age.split(".")) <= limit:
                cps.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return cps


def main(ucd):
    assigned = assigned_by(ucd, (9, 0))
    path = os.path.join(ucd, "NormalizationTest.txt")
    opener = (lambda: open(path, encoding="utf-8")) if os.path.exists(path) else (lambda: bz2.open(path + ".bz2", "rt", encoding="utf-8"))
    out, part, index = ["# NormalizationTest.txt (Unicode 15.0, Debian unicode-data) reduced by reduce_normalization_test.py"], "", 0
    with opener() as f:
        for line in f:
            if line.startswith("@Part"):
                part, index = line.split()[0], 0
                out.append(part)
                continue
            data = line.split("#")[0].strip()
            if not data:
                continue
            index += 1
            if part == "@Part1" and index % 10:
                continue
            cps = {int(c, 16) for column in data.split(";")[:5] for c in column.split()}
            if cps <= assigned:
                out.append(data)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "NormalizationTest-9.0.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode")
