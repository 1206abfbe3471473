#!/usr/bin/env python3
"""Prints the simulator's line-strength calibration (Tools/starstream-sim/Calibration.swift)
as measured now: per MK letter and line, the median equivalent width of the real spectra
and of the simulated ones, and the factor that would bring the simulated median to the
real one (the current factor times their ratio). Train-side data only: the export of

    trainer evaluate --train ../shared/fixtures/lamost-real --train SIM --folds 5 --export-features FEATURES.csv
    python3 Tools/starstream-sim/calibrate.py FEATURES.csv [--real lamost-real] [--simulated SIM]
"""
import argparse
import csv
import re
import statistics

LINES = {  # Calibration.Line → the measured feature
    "hAlpha": "ew_H_alpha", "hBeta": "ew_H_beta", "hGamma": "ew_H_gamma", "hDelta": "ew_H_delta", "calciumK": "ew_CaII_K",
    "calciumH": "ew_CaII_H", "gBand": "ew_G_band", "magnesium": "ew_Mg_b", "sodium": "ew_Na_D", "tripletCalcium": "ew_CaT_8544",
}


def current_factors(path="Tools/starstream-sim/Calibration.swift"):
    factors = {}
    for letter, body in re.findall(r'"([A-Z])": \[(.*?)\]', open(path).read()):
        factors[letter] = {name: float(value) for name, value in re.findall(r"\.(\w+): ([0-9.]+)", body)}
    return factors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--real", default="lamost-real")
    parser.add_argument("--simulated")
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.file, newline="")))
    simulated = args.simulated or next(r["source"] for r in rows if r["source"] != args.real)
    factors = current_factors()
    print(f"{'letter':6} {'line':15} {'real':>7} {'sim':>7} {'now':>6} {'suggested':>9}")
    for letter in "OBAFGKM":
        for name, feature in LINES.items():
            def median(source):
                values = [float(r[feature]) for r in rows if r["mk"] == letter and r["source"] == source and r[feature] != ""]
                return statistics.median(values) if len(values) >= 10 else None
            real, sim = median(args.real), median(simulated)
            if real is None or sim is None:
                continue
            now = factors.get(letter, {}).get(name, 1.0)
            # A ratio of medians near zero says little: the suggestion is clamped.
            suggested = now * min(4.0, max(0.05, real / sim)) if sim > 0.2 and real > 0 else now
            print(f"{letter:6} {name:15} {real:7.2f} {sim:7.2f} {now:6.2f} {suggested:9.2f}")


if __name__ == "__main__":
    main()
