#!/usr/bin/env python3
"""A straightforward astropy + numpy + scipy implementation of Starstream's spectra steps,
for comparison only (the product is the Swift code). Same files, same steps: read the FITS
file and its header, mask, rebin onto the common log-lambda grid conserving flux, fit an
inverse-variance-weighted sigma-clipped Legendre continuum, measure the 22 lines
(equivalent width and depth against a pseudo-continuum), continuum colours, and dips and
peaks with scipy.signal.find_peaks.

    python baseline.py --dir DIR [--limit N] [--processes P]

Prints one line: `python-baseline <n> spectra in <s> s = <rate> spectra/s (<P> processes, ...)`.
Run it with OMP_NUM_THREADS=1 so that one process uses one core, as one Swift thread does.
"""
import argparse
import multiprocessing
import os
import sys
import time

import numpy as np
from astropy.io import fits
from numpy.polynomial import legendre
from scipy.signal import find_peaks

# The common grid: 3700-9060 A, log10 step 1e-4 (Shared/Spectra/WavelengthGrid.swift).
LOG_START, STEP, COUNT = np.log10(3700.0), 1e-4, 3889
GRID = 10 ** (LOG_START + STEP * np.arange(COUNT))
EDGES = 10 ** (LOG_START + STEP * (np.arange(COUNT + 1) - 0.5))

# name, centre, half width, side width, gap (Shared/Spectra/SpectralLines.swift)
LINES = [
    ("H_alpha", 6564.61, 15, 15, 3), ("H_beta", 4862.69, 15, 15, 3), ("H_gamma", 4341.69, 12, 15, 3),
    ("H_delta", 4102.90, 12, 15, 3), ("CaII_K", 3934.77, 10, 12, 3), ("CaII_H", 3969.59, 8, 12, 3),
    ("G_band", 4301.0, 15, 15, 3), ("Mg_b", 5176.0, 16, 15, 5), ("Na_D", 5894.6, 10, 15, 3),
    ("HeI_4472", 4472.7, 6, 15, 3), ("HeI_5877", 5877.3, 6, 15, 3), ("HeII_4687", 4687.0, 6, 15, 3),
    ("TiO_6160", 6159.7, 20, 20, 3), ("TiO_7055", 7054.9, 25, 20, 3), ("TiO_7591", 7591.1, 25, 20, 3),
    ("CaT_8500", 8500.4, 8, 15, 3), ("CaT_8544", 8544.4, 8, 15, 3), ("CaT_8665", 8664.5, 8, 15, 3),
    ("OII_3728", 3728.5, 8, 15, 3), ("OIII_5008", 5008.2, 8, 15, 3), ("NII_6585", 6585.3, 5, 15, 20),
    ("MgII_2799", 2799.0, 20, 20, 3),
]
COLOURS = [(4000, 5000), (4500, 6500), (5000, 7000), (6500, 8500)]
KEYWORDS = ["OBSID", "CLASS", "SUBCLASS", "Z", "Z_ERR", "SNRU", "SNRG", "SNRR", "SNRI", "SNRZ", "PLANID", "RA", "DEC"]


def read(path):
    with fits.open(path) as hdul:
        header = hdul[0].header
        entry = {key: header.get(key) for key in KEYWORDS}
        if "COADD" in hdul:
            table = hdul["COADD"].data
            flux, ivar, wave, andmask = (np.asarray(table[c][0], dtype=np.float64) for c in ("FLUX", "IVAR", "WAVELENGTH", "ANDMASK"))
        else:
            data = np.asarray(hdul[0].data, dtype=np.float64)
            flux, ivar, wave, andmask = data[0], data[1], data[2], data[3]
    return entry, flux, ivar, wave, andmask


def resample(wave, flux, ivar, good):
    """Flux-conserving rebinning by cumulative integrals of the good input bins."""
    edges = np.empty(wave.size + 1)
    edges[1:-1] = 0.5 * (wave[1:] + wave[:-1])
    edges[0] = wave[0] - (edges[1] - wave[0])
    edges[-1] = wave[-1] + (wave[-1] - edges[-2])
    width = np.diff(edges)
    g = good.astype(np.float64)
    safe_ivar = np.where(good, ivar, 1.0)
    cum_w = np.concatenate([[0], np.cumsum(g * width)])
    cum_f = np.concatenate([[0], np.cumsum(g * width * np.where(good, flux, 0.0))])
    cum_v = np.concatenate([[0], np.cumsum(g * width / safe_ivar)])
    w = np.diff(np.interp(EDGES, edges, cum_w))
    f = np.diff(np.interp(EDGES, edges, cum_f))
    v = np.diff(np.interp(EDGES, edges, cum_v))
    coverage = w / np.diff(EDGES)
    ok = coverage >= 0.5
    out_flux = np.where(ok, f / np.where(ok, w, 1), 0.0)
    # Variance of a mean over width w of bins with variance density v/w (approximately).
    out_ivar = np.where(ok & (v > 0), w * w / np.where(v > 0, v * np.where(ok, w, 1) / np.maximum(w, 1e-12), 1), 0.0)
    return out_flux, out_ivar


def continuum(flux, ivar, degree=7, lower=2.0, upper=3.0, iterations=10):
    x = 2 * (np.log10(GRID) - np.log10(GRID[0])) / (np.log10(GRID[-1]) - np.log10(GRID[0])) - 1
    used = (ivar > 0) & np.isfinite(flux)
    model = np.zeros_like(flux)
    for _ in range(iterations):
        if used.sum() < max(4 * (degree + 1), flux.size // 10):
            return None
        coefficients = legendre.legfit(x[used], flux[used], degree, w=np.sqrt(ivar[used]))
        model = legendre.legval(x, coefficients)
        residual = (flux - model) * np.sqrt(ivar)
        spread = max(1.0, 1.4826 * np.median(np.abs(residual[used])))
        clipped = used & ((residual <= -lower * spread) | (residual >= upper * spread))
        if not clipped.any():
            break
        used &= ~clipped
    positive = (model > 0) & (ivar > 0)
    normalized = np.where(positive, flux / np.where(positive, model, 1), 0.0)
    normalized_ivar = np.where(positive, ivar * model * model, 0.0)
    return model, normalized, normalized_ivar


def band_mean(flux, ivar, low, high):
    sel = (GRID >= low) & (GRID <= high) & (ivar > 0)
    if not sel.any():
        return None
    w = ivar[sel]
    return np.sum(w * GRID[sel]) / w.sum(), np.sum(w * flux[sel]) / w.sum()


def measure(flux, ivar, center, half, side, gap, z):
    s = 1 + z
    c, h, sw, g = center * s, half * s, side * s, gap * s
    blue = band_mean(flux, ivar, c - h - g - sw, c - h - g)
    red = band_mean(flux, ivar, c + h + g, c + h + g + sw)
    if blue is None or red is None:
        return None, None
    slope = (red[1] - blue[1]) / (red[0] - blue[0])
    overlap = np.clip(np.minimum(EDGES[1:], c + h) - np.maximum(EDGES[:-1], c - h), 0, None)
    sel = (overlap > 0) & (ivar > 0)
    pseudo = blue[1] + slope * (GRID[sel] - blue[0])
    sel_ok = pseudo > 0
    if not sel_ok.any():
        return None, None
    ratio = flux[sel][sel_ok] / pseudo[sel_ok]
    covered = overlap[sel][sel_ok].sum()
    if covered <= h:  # less than half of the 2h band
        return None, None
    ew = np.sum((1 - ratio) * overlap[sel][sel_ok]) * (2 * h) / covered
    return ew / s, max(0.0, float(np.max(1 - ratio)))


def features(model, flux, ivar, z):
    values = []
    for _, center, half, side, gap in LINES:
        values += list(measure(flux, ivar, center, half, side, gap, z))
    for blue, red in COLOURS:
        b, r = model[np.argmin(abs(GRID - blue))], model[np.argmin(abs(GRID - red))]
        values.append(np.log10(b / r) if b > 0 and r > 0 else None)
    good = ivar > 0
    smooth = np.convolve(np.where(good, flux, 0), np.ones(5), "same") / np.maximum(np.convolve(good, np.ones(5), "same"), 1)
    dips, dip_props = find_peaks(-smooth, prominence=0.1, wlen=31)
    peaks, peak_props = find_peaks(smooth, prominence=0.1, wlen=31)
    values += [len(dips), len(peaks), max(dip_props["prominences"], default=0), max(peak_props["prominences"], default=0)]
    return values


def process(path):
    entry, flux, ivar, wave, andmask = read(path)
    if entry["CLASS"] is None or entry["OBSID"] is None:
        raise ValueError(f"{path}: missing keyword")
    good = np.isfinite(flux) & np.isfinite(ivar) & (ivar > 0) & (andmask == 0)
    if good.sum() < wave.size // 4:
        raise ValueError(f"{path}: too few usable pixels")
    rflux, rivar = resample(wave, flux, ivar, good)
    fit = continuum(rflux, rivar)
    if fit is None:
        raise ValueError(f"{path}: continuum fit failed")
    model, nflux, nivar = fit
    z = entry["Z"] if entry["Z"] not in (None, -9999) else 0.0
    return features(model, nflux, nivar, z)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(args.dir) for name in names if ".fits" in name)
    paths = paths[: args.limit] if args.limit else paths
    started = time.perf_counter()
    if args.processes > 1:
        with multiprocessing.Pool(args.processes) as pool:
            results = pool.map(attempt, paths, chunksize=16)
    else:
        results = [attempt(path) for path in paths]
    elapsed = time.perf_counter() - started
    rejected = [error for error in results if error is not None]
    for error in rejected:
        print(f"python-baseline: {error}", file=sys.stderr)
    done = len(paths) - len(rejected)
    print(f"python-baseline {done} spectra in {elapsed:.2f} s = {done / elapsed:.1f} spectra/s"
          f" ({args.processes} process{'es' if args.processes > 1 else ''}, {len(rejected)} rejected)")


def attempt(path):
    """None, or the error of a bad file (counted, as the Swift side rejects it)."""
    try:
        process(path)
        return None
    except Exception as error:
        return str(error)

if __name__ == "__main__":
    main()
