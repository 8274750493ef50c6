#!/usr/bin/env python3
"""Writes the malformed-LHCO corpus next to this script, with cases.json listing, for each
file, the line the reader must name and words its message must contain.

Every file here is broken in one way a real file can be (a truncated download, a hand edit, a
spreadsheet export, a wrong tool). `tests/kernel/test_malformed_inputs.py` runs each through
`collm run` and `%lhco`. Run this script again after adding a case; the output is
deterministic.
"""
import gzip
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
MET = "  3    6    0.000    1.113   15.47    0.00    0.0    0.0    0.00    0.0    0.0"
JET = "  2    4   -0.382    2.896   29.91    5.78    4.0    1.0    0.00    0.0    0.0"
MU = "  1    2    0.500   -1.000   40.00    0.00   -1.0    0.0    0.10    0.0    0.0"


def event(n):
    return f"  0 {n:12d} 0\n{MU}\n{JET}\n{MET}\n"


def row(i, typ="2", eta="0.500", phi="-1.000", pt="40.00", rest="0.00   -1.0    0.0    0.10    0.0    0.0"):
    return f"  {i}    {typ}    {eta}   {phi}   {pt}    {rest}"


GOOD = event(1)  # four lines
CASES = []


def case(name, content, line, words, lenient="skip"):
    """`lenient`: "skip" (the rest of the file is read, this is counted by reason),
    "error" (nothing usable: lenient mode fails too)."""
    CASES.append({"file": name, "content": content, "line": line, "words": words, "lenient": lenient})


def text(s):
    return s.encode()


case("truncated_row.lhco", text(GOOD + "  0 2 0\n  1    4   -0.382    2.896   29.91\n" + MET + "\n" + event(3)), 6, "5 columns")
case("id_only_row.lhco", text(GOOD + "  0 2 0\n  1\n" + MET + "\n" + event(3)), 6, "1 columns")
case("text_in_eta.lhco", text(GOOD + "  0 2 0\n" + row(1, eta="abc") + "\n" + MET + "\n" + event(3)), 6, "column eta: `abc`")
case("text_in_type.lhco", text(GOOD + "  0 2 0\n" + row(1, typ="mu") + "\n" + MET + "\n" + event(3)), 6, "column type: `mu`")
case("comma_decimal.lhco", text(GOOD + "  0 2 0\n" + row(1, eta="0,5") + "\n" + MET + "\n" + event(3)), 6, "`0,5`")
case("nan_pt.lhco", text(GOOD + "  0 2 0\n" + row(1, pt="NaN") + "\n" + MET + "\n" + event(3)), 6, "column pt: `NaN`")
case("inf_phi.lhco", text(GOOD + "  0 2 0\n" + row(1, phi="inf") + "\n" + MET + "\n" + event(3)), 6, "column phi")
case("plus_inf_eta.lhco", text(GOOD + "  0 2 0\n" + row(1, eta="+INF") + "\n" + MET + "\n" + event(3)), 6, "`+INF`")
case("overflowing_exponent.lhco", text(GOOD + "  0 2 0\n" + row(1, pt="1e400") + "\n" + MET + "\n" + event(3)), 6, "`1e400`")
case("negative_pt.lhco", text(GOOD + "  0 2 0\n" + row(1, pt="-40.00") + "\n" + MET + "\n" + event(3)), 6, "pt -40")
case("phi_out_of_range.lhco", text(GOOD + "  0 2 0\n" + row(1, phi="7.000") + "\n" + MET + "\n" + event(3)), 6, "phi 7")
case("unknown_type_5.lhco", text(GOOD + "  0 2 0\n" + row(1, typ="5") + "\n" + MET + "\n" + event(3)), 6, "type code 5")
case("unknown_type_17.lhco", text(GOOD + "  0 2 0\n" + row(1, typ="17") + "\n" + MET + "\n" + event(3)), 6, "type code 17")
case("fractional_type.lhco", text(GOOD + "  0 2 0\n" + row(1, typ="4.5") + "\n" + MET + "\n" + event(3)), 6, "type code `4.5`")
case("fractional_row_id.lhco", text(GOOD + "  0 2 0\n" + row("1.5") + "\n" + MET + "\n" + event(3)), 6, "row id `1.5`")
case("negative_row_id.lhco", text(GOOD + "  0 2 0\n" + row(-1) + "\n" + MET + "\n" + event(3)), 6, "row id `-1`")
case("row_index_gap.lhco", text(GOOD + "  0 2 0\n" + MU + "\n" + MET.replace("  3    6", "  4    6", 1) + "\n" + event(3)), 7, "expected 2, found 4")
case("row_index_repeated.lhco", text(GOOD + "  0 2 0\n" + MU + "\n" + MU + "\n" + MET + "\n" + event(3)), 7, "expected 2, found 1")
case("missing_met_between_events.lhco", text(GOOD + "  0 2 0\n" + MU + "\n" + event(3)), 5, "event 2")
case("missing_met_at_end.lhco", text(GOOD + "  0 2 0\n" + MU + "\n"), 5, "event 2")
case("duplicate_met.lhco", text(GOOD + "  0 2 0\n" + MU + "\n" + MET.replace("  3    6", "  2    6", 1) + "\n" + MET + "\n" + event(3)), 8, "more than one MET row")
case("object_before_header.lhco", text(MU + "\n" + GOOD), 1, "object row before any event header")
case("header_two_columns.lhco", text(GOOD + "  0 2\n" + MU + "\n" + MET + "\n" + event(3)), 5, "2 columns")
case("header_five_columns.lhco", text(GOOD + "  0 2 0 1.0 9\n" + MU + "\n" + MET + "\n" + event(3)), 5, "5 columns")
case("fractional_event_number.lhco", text(GOOD + "  0 2.5 0\n" + MU + "\n" + MET + "\n" + event(3)), 5, "event number `2.5`")
case("negative_event_number.lhco", text(GOOD + "  0 -3 0\n" + MU + "\n" + MET + "\n" + event(3)), 5, "event number `-3`")
case("text_trigger_word.lhco", text(GOOD + "  0 2 abc\n" + MU + "\n" + MET + "\n" + event(3)), 5, "column trigger word: `abc`")
case("nan_weight.lhco", text(GOOD + "  0 2 0 nan\n" + MU + "\n" + MET + "\n" + event(3)), 5, "column weight")
case("text_in_extra_column.lhco", text(GOOD + "  0 2 0\n" + MU + " oops\n" + MET + "\n" + event(3)), 6, "column extra: `oops`")
case("non_utf8_number.lhco", text(GOOD + "  0 2 0\n") + b"  1    2    0.5    1.0   4\xff\xfe    0.00   -1.0    0.0    0.10    0.0    0.0\n" + text(MET + "\n" + event(3)), 6, "column pt")
case("crlf_text_in_phi.lhco", text((GOOD + "  0 2 0\n" + row(1, phi="x1") + "\n" + MET + "\n" + event(3)).replace("\n", "\r\n")), 6, "column phi: `x1`")
# A byte-order mark is skipped, so the line numbers are those an editor shows.
case("bom_then_text.lhco", b"\xef\xbb\xbf" + text(GOOD + "  0 2 0\n" + row(1, eta="e") + "\n" + MET + "\n"), 6, "column eta: `e`")
# The two over-long inputs are compressed, so the corpus stays small; the reader meets the
# same 3 MiB line after decompressing.
case("huge_line.lhco.gz", gzip.compress(text(GOOD + "  0 2 0\n" + MU + " " + "9" * (3 << 20) + "\n" + MET + "\n"), mtime=0), 6, "line too long", lenient="error")
rng = random.Random(7)
case("random_bytes.lhco", bytes(rng.randrange(256) for _ in range(4096)), 8, "invalid number", lenient="error")
case("no_line_breaks.lhco.gz", gzip.compress(b"7" * (3 << 20), mtime=0), 1, "no line break", lenient="error")
case("empty.lhco", b"", 0, "no events", lenient="error")
case("only_comments.lhco", text("# a header someone wrote\n# and nothing else\n"), 0, "none is an event header", lenient="error")
whole = gzip.compress(text(GOOD * 2000), mtime=0)
case("truncated.lhco.gz", whole[: len(whole) // 2], 0, "gzip", lenient="error")
case("corrupt.lhco.gz", bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]) + b"this is not deflate data", 0, "gzip", lenient="error")
case("plain_text_named_gz.lhco.gz", text(GOOD), 0, "gzip", lenient="error")


def main():
    manifest = []
    for c in CASES:
        with open(os.path.join(HERE, c["file"]), "wb") as f:
            f.write(c["content"])
        manifest.append({k: v for k, v in c.items() if k != "content"})
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
