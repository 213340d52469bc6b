#!/usr/bin/env python3
"""Generates src/main/java/org/pdediff/nn/{VecF64,ExpF64}.java from their float32 templates.

VecF64 is VecF32 with float -> double; ExpF64 is ExpF32 with double constants, longer polynomials (exp degree 13:
(ln2/2)^14/14! ~ 4e-18; log1p 17 atanh terms: (1/3)^35/35 ~ 1e-18) and the binary64 exponent layout.
Run from the repository root: python3 tools/gen_f64.py
"""
import re
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "src/main/java/org/pdediff/nn"

def common(s):
    s = s.replace("FloatVector", "DoubleVector").replace("VectorMask<Float>", "VectorMask<Double>")
    s = s.replace("VectorSpecies<Float>", "VectorSpecies<Double>")
    s = re.sub(r"\bfloat\b", "double", s)
    s = s.replace("F32", "F64").replace("float32", "float64")
    s = re.sub(r"(\d)f\b", r"\1", s)          # 2f -> 2
    s = s.replace("(double) ActivationKind", "ActivationKind")
    return s

vec = common((root / "VecF32.java").read_text())
vec = vec.replace(" * <p>This file is the template of {@code VecF64} (generated from it by {@code tools/gen_f64.py}: types and\n"
                  " * species only; the exponential and log1p polynomials live in {@link ExpF64}/{@code ExpF64}).",
                  " * <p>GENERATED from VecF32.java by tools/gen_f64.py: do not edit.")
(root / "VecF64.java").write_text(vec)

exp = common((root / "ExpF32.java").read_text())
exp = exp.replace("IntVector", "LongVector")
exp = exp.replace("1.44269504088896341", "1.4426950408889634")
exp = exp.replace("LN2_HI = 0.693145751953125", "LN2_HI = 6.93147180369123816490e-01")
exp = exp.replace("LN2_LO = 1.42860676533018650e-06", "LN2_LO = 1.90821492927058770002e-10")
exp = exp.replace("MAGIC = 12582912", "MAGIC = 6755399441055744.0")
exp = exp.replace("private static final int MAGIC_BITS = 0x4B400000", "private static final long MAGIC_BITS = 0x4338000000000000L")
exp = exp.replace("private static final int BIAS = 127", "private static final long BIAS = 1023")
exp = exp.replace("MANT = 23", "MANT = 52")
exp = exp.replace("reinterpretAsInts", "reinterpretAsLongs").replace("reinterpretAsDoubles", "reinterpretAsDoubles")
exp = exp.replace("bits.reinterpretAsFloats()", "bits.reinterpretAsDoubles()")
exp = exp.replace("taylorExp(7)", "taylorExp(13)").replace("ATANH_TERMS = 7", "ATANH_TERMS = 17")
exp = exp.replace("(double) (1 / f)", "1 / f")
exp = exp.replace("1.5·2²³", "1.5·2⁵²").replace("k ≥ −116", "k ≥ −116, far above −1022")
exp = exp.replace("degree 7: truncation (ln2/2)⁸/8! ≈ 5.5e-9 relative", "degree 13: truncation (ln2/2)¹⁴/14! ≈ 4e-18 relative")
exp = exp.replace("7 odd terms, truncation (1/3)¹⁵/15 ≈ 5e-9", "17 odd terms, truncation (1/3)³⁵/35 ≈ 1e-18")
exp = exp.replace(" * specified to the bit).", " * specified to the bit).\n *\n * <p>GENERATED from ExpF32.java by tools/gen_f64.py: do not edit.")
(root / "ExpF64.java").write_text(exp)

arith = (root / "ArithF32.java").read_text()
arith = arith.replace("float32 on {@link VecF32}.", "float64 on {@link VecF64}. GENERATED from ArithF32.java by tools/gen_f64.py (same text, double types).")
arith = re.sub(r"\bfloat\b", "double", arith.replace("F32", "F64"))
(root / "ArithF64.java").write_text(arith)
