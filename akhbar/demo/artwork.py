"""Abstract, text-free illustrations for the demo site, drawn locally with Pillow.

The demo must not ship photographs it has no rights to, nor fetch anything from the
internet, and the repository stays lean: every picture is computed at seeding time from a
seed and a pair of section colours, so the same seed always gives the same picture.
Shapes are drawn on a small canvas and scaled up, which is fast and yields smooth
gradients that compress to a few dozen kilobytes.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

FEATURED_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)
JPEG_QUALITY = 80
_SCALE = 5  # the small canvas is 1/_SCALE of the final size


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {value!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _gradient(size: tuple[int, int], start, end, angle: float) -> Image.Image:
    """A linear gradient from `start` to `end` at `angle` degrees, filling `size`."""
    ramp = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BICUBIC)
    # The central 180 px square of the rotated 256 px ramp has no empty corners.
    ramp = ramp.crop((38, 38, 218, 218)).resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), ramp)


def render_artwork(seed: int, colours: tuple[str, str], size: tuple[int, int] = FEATURED_SIZE) -> bytes:
    """A JPEG of soft circles, rings and bands over a gradient in the given colours; no text."""
    rng = random.Random(seed)
    dark, light = hex_to_rgb(colours[0]), hex_to_rgb(colours[1])
    white, black = (255, 255, 255), (0, 0, 0)
    # Shapes are drawn at twice the small size and halved, so their edges are antialiased.
    small = (max(8, size[0] // _SCALE), max(8, size[1] // _SCALE))
    w, h = small[0] * 2, small[1] * 2

    canvas = _gradient((w, h), dark, _mix(dark, light, 0.55), rng.uniform(0, 360)).convert("RGBA")
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    # Broad diagonal bands give the composition a direction.
    for _ in range(rng.randint(1, 3)):
        x = rng.uniform(-0.3, 1.0) * w
        width = rng.uniform(0.08, 0.25) * w
        slant = rng.uniform(-0.5, 0.5) * w
        tone = _mix(light, white, rng.uniform(0, 0.4))
        draw.polygon(
            [(x, -0.1 * h), (x + width, -0.1 * h), (x + width + slant, 1.1 * h), (x + slant, 1.1 * h)],
            fill=(*tone, rng.randint(35, 80)),
        )
    # Soft discs in lighter and darker tones of the palette.
    for _ in range(rng.randint(4, 8)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.06, 0.35) * min(w, h) * 1.6
        tone = _mix(light, white, rng.uniform(0, 0.5)) if rng.random() < 0.6 else _mix(dark, black, rng.uniform(0.1, 0.4))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*tone, rng.randint(50, 140)))
    canvas = Image.alpha_composite(canvas, layer).resize(small, Image.Resampling.LANCZOS)
    picture = canvas.convert("RGB").filter(ImageFilter.GaussianBlur(0.6)).resize(size, Image.Resampling.BILINEAR)

    # A few crisp rings and arcs at full resolution keep the picture from looking blurred
    # (an "RGBA" drawer blends them straight onto the RGB picture).
    pen = ImageDraw.Draw(picture, "RGBA")
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0.1, 0.9) * size[0], rng.uniform(0.1, 0.9) * size[1]
        r = rng.uniform(0.08, 0.3) * min(size)
        start = rng.uniform(0, 360)
        sweep = rng.choice([360, rng.uniform(90, 270)])
        pen.arc(
            (cx - r, cy - r, cx + r, cy + r),
            start,
            start + sweep,
            fill=(*_mix(light, white, 0.7), rng.randint(90, 170)),
            width=max(2, round(min(size) * 0.006)),
        )

    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def seed_for(text: str) -> int:
    """A stable seed from a key (Python's hash() changes between processes)."""
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % (2**31 - 1)
    return value if value else int(math.pi * 1e6)
