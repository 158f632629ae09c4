"""Colour-vision-deficiency check for the course's palette: simulate a dichromat's view of a colour and
measure how far apart two colours stay (CIEDE2000 in CIELAB); used by tests/test_colour_vision.py.

Simulation: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color
Vision Deficiency", IEEE TVCG 15(6):1291-1298, the published matrices at severity 1.0 (protanopia,
deuteranopia, tritanopia; Machado's table, as shipped by colour-science's CVD_MATRICES_MACHADO2010),
applied to linear sRGB as the paper prescribes.
"""

from __future__ import annotations

import numpy as np

MACHADO_2009: dict[str, np.ndarray] = {  # severity 1.0, rows map linear (R, G, B) to the simulated linear RGB
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],   # IEC 61966-2-1, D65
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_srgb(colour: str) -> np.ndarray:
    """"#rrggbb" or "rgb(r, g, b)" as sRGB in [0, 1]."""
    text = colour.strip().lower()
    if text.startswith("rgb"):
        return np.array([float(v) for v in text[text.index("(") + 1:text.index(")")].split(",")[:3]]) / 255
    if not (text.startswith("#") and len(text) == 7):
        raise ValueError(f"need a colour as '#rrggbb' or 'rgb(r, g, b)', got {colour!r}")
    return np.array([int(text[k:k + 2], 16) for k in (1, 3, 5)]) / 255


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB's transfer curve undone."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def simulate(colour: str, deficiency: str | None) -> np.ndarray:
    """The colour as a dichromat sees it, in linear RGB clipped to [0, 1] (None: unchanged)."""
    linear = to_linear(hex_to_srgb(colour))
    return linear if deficiency is None else np.clip(MACHADO_2009[deficiency] @ linear, 0.0, 1.0)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-RGB colour."""
    xyz = SRGB_TO_XYZ @ linear_rgb / D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = (np.degrees(np.arctan2(b, a)) % 360 if c else 0.0 for a, b, c in ((a1, b1, c1), (a2, b2, c2)))
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc, d_big_h = l2 - l1, c2 - c1, 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    h_bar = h1 + h2 if c1 * c2 == 0 else ((h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360) / 2 % 360)
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_t = (-2 * np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7))
           * np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))))
    return float(np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2
                         + r_t * (dc / s_c) * (d_big_h / s_h)))


def difference(colour1: str, colour2: str, deficiency: str | None = None) -> float:
    """ΔE00 between two colours as seen with `deficiency` (None: normal vision)."""
    return delta_e2000(lab(simulate(colour1, deficiency)), lab(simulate(colour2, deficiency)))


def lightness(colour: str, deficiency: str | None = None) -> float:
    """CIELAB L* of a colour as seen with `deficiency`."""
    return float(lab(simulate(colour, deficiency))[0])
