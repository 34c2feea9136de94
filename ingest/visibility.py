"""What a reader can see on a PDF page: glyphs hidden from the eye never reach the text.

pdfminer (under pdfplumber) keeps every glyph a content stream shows, but forgets the state that
hides one: the text render mode (3 and 7 paint nothing), the clipping path, the fill alpha of
`gs`, and the order in which shapes and glyphs are painted. `read_visible_layout(page)` runs
pdfminer's interpreter with that state tracked and leaves out of the page's layout, before
pdfplumber turns it into `page.chars`, each glyph that is

- unpainted: drawn in render mode 3 or 7;
- tiny: smaller than `MIN_FONT_SIZE`;
- off-page: wholly outside the page's crop box;
- clipped: mostly outside the clipping path's box (less than `CLIP_MIN_SHARE` inside);
- white-on-white / low-contrast: its colour too close to what is painted under it (the last
  filled shape drawn before it that holds its middle, or the white paper), in lightness and hue;
- transparent: a colour that would show, drawn at a fill alpha that lets it fade into the background;
- covered: inside an opaque filled rectangle painted after it.

What this cannot see, and keeps: an image or a non-rectangular shape drawn over text, a soft mask
or blend mode hiding it, the clipping box of a Form XObject's /BBox, a clipping path's exact
shape (its bounding box is used), text used as a clipping path (render modes 4-6 are painted), and
colours in spot, indexed or pattern colour spaces (no contrast is measured against them).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter
from pdfminer.pdftypes import dict_value, resolve1
from pdfminer.psparser import literal_name
from pdfminer.utils import apply_matrix_pt, apply_matrix_rect
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pdfminer's device space
RGB = tuple[float, float, float]  # sRGB, each 0-1
WHITE: RGB = (1.0, 1.0, 1.0)

# The kinds of hidden text, in the order a warning names them.
HIDDEN_KINDS = ("tiny", "off-page", "white-on-white", "low-contrast", "transparent", "covered", "clipped",
                "unpainted")

# Glyphs smaller than this (pdfminer's size: the glyph box height, in points) are not text a
# reader can read. The smallest letters in the real and public sets' 32 PDFs are 4.98 pt (LaTeX
# superscripts and footnote marks; 4.45 pt for a replacement glyph); body text is 8-12 pt. 3 pt
# keeps a margin of 2 pt (40%) under the smallest real letter and catches 1.2 pt and 0.5 pt text.
MIN_FONT_SIZE = 3.0

# WCAG contrast ratio (1 = same colour, 21 = black on white) under which text counts as hidden,
# when its colour is also within MAX_COLOUR_DISTANCE of the background in every sRGB channel.
# 0.95 grey on white is 1.12 (distance 0.05), dark text on a box a shade darker about 1.1 (0.03).
# In the real and public sets' PDFs the lowest contrast of any glyph is 1.37, pure-green
# hyperlinks on white (distance 1.0: a whole channel), then 2.42 (light grey); the smallest
# distance is 0.38 (black on a slate box, contrast 2.7). WCAG's floor for large text is 3.0.
MIN_CONTRAST = 1.5
MAX_COLOUR_DISTANCE = 0.3  # ... and no sRGB channel differs by this much or more
WHITE_LEVEL = 0.97  # text and background with every channel this light: "white-on-white"
CLIP_MIN_SHARE = 0.25  # a glyph with less than this share of its box inside the clipping box is clipped
OPAQUE_ALPHA = 0.9  # a fill at this alpha or more hides what is under it
COVER_TOLERANCE = 1.0  # a glyph within this many points of a later opaque rectangle is under it
MIN_PAINT_SIDE = 2.0  # a filled shape thinner than this (a rule, a hairline) is no background


@dataclass(frozen=True)
class _Paint:
    """A filled shape or image, in painting order."""
    box: Box
    rgb: RGB | None  # None: colour unknown (image, spot colour, pattern, compound path)
    opaque: bool


class _GraphicState(PDFGraphicState):
    """pdfminer's graphic state plus the clipping box, the alphas and whether blending is normal."""

    def __init__(self) -> None:
        super().__init__()
        self.clip: Box | None = None
        self.fill_alpha = 1.0
        self.stroke_alpha = 1.0
        self.plain_blend = True  # Normal blend mode, no soft mask

    def copy(self) -> "_GraphicState":
        state = _GraphicState()
        state.__dict__.update(self.__dict__)
        return state


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, tracking the clipping box and the `gs` alphas; a Form XObject
    inherits its caller's graphic state, as the PDF reference says."""

    inherited: _GraphicState | None = None

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self.graphicstate = self.inherited.copy() if self.inherited is not None else _GraphicState()

    def dup(self) -> PDFPageInterpreter:  # pdfminer makes a Form XObject's interpreter with this
        interpreter = super().dup()
        interpreter.inherited = self.graphicstate  # type: ignore[attr-defined]
        return interpreter

    def do_W(self) -> None:
        self._clip_to_path()

    def do_W_a(self) -> None:
        self._clip_to_path()

    def _clip_to_path(self) -> None:
        points = [apply_matrix_pt(self.ctm, (float(x), float(y)))
                  for segment in self.curpath for x, y in zip(segment[1::2], segment[2::2])
                  if isinstance(x, (int, float)) and isinstance(y, (int, float))]
        if not points:
            return
        box = (min(p[0] for p in points), min(p[1] for p in points),
               max(p[0] for p in points), max(p[1] for p in points))
        state = self.graphicstate
        state.clip = box if state.clip is None else _intersect(state.clip, box)  # type: ignore[attr-defined]

    def do_gs(self, name: Any) -> None:
        try:
            states = dict_value(self.resources.get("ExtGState"))
            params = dict_value(states.get(literal_name(name)))
        except Exception:  # a missing or damaged ExtGState: keep the state as it is
            return
        state = self.graphicstate
        for key, attr in (("ca", "fill_alpha"), ("CA", "stroke_alpha")):
            value = resolve1(params.get(key))
            if isinstance(value, (int, float)):
                setattr(state, attr, float(value))
        blend, mask = resolve1(params.get("BM")), resolve1(params.get("SMask"))
        if blend is not None:
            names = [literal_name(resolve1(b)) for b in blend] if isinstance(blend, list) else [literal_name(blend)]
            state.plain_blend = bool(names) and names[0] in ("Normal", "Compatible")  # type: ignore[attr-defined]
        if mask is not None and literal_name(mask) != "None":
            state.plain_blend = False  # type: ignore[attr-defined]


class _Device(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, leaving hidden glyphs out and counting them by kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: Counter[str] = Counter()
        self._paints: list[_Paint] = []
        self._shown: list[tuple[LTChar, Any]] = []  # glyphs kept so far, with their container
        self._render_mode = 0
        self._crop: Box | None = None
        self._painting = False

    def begin_page(self, page: Any, ctm: Any) -> None:
        super().begin_page(page, ctm)
        self._crop = apply_matrix_rect(ctm, page.cropbox)

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self._render_mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        adv = super().render_char(*args, **kwargs)
        container = self.cur_item
        char = container._objs[-1]
        letters = _letters(char)
        if not letters:
            return adv  # a space or zero-width mark hides nothing
        kind = self._hidden_kind(char, kwargs.get("graphicstate", args[-1] if args else None))
        if kind is None:
            self._shown.append((char, container))
        else:
            container._objs.pop()
            self.hidden[kind] += letters
        return adv

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        if fill and not self._painting:  # pdfminer calls this again for each subpath
            self._record_fill(gstate, path)
        self._painting = True
        try:
            super().paint_path(gstate, stroke, fill, evenodd, path)
        finally:
            self._painting = False

    def render_image(self, name: str, stream: Any) -> None:
        super().render_image(name, stream)
        figure = self.cur_item
        self._add_paint(_Paint((figure.x0, figure.y0, figure.x1, figure.y1), None, False))

    # -- decisions ----------------------------------------------------------------------------

    def _hidden_kind(self, char: LTChar, state: Any) -> str | None:
        if self._render_mode in (3, 7):
            return "unpainted"
        if char.size < MIN_FONT_SIZE:
            return "tiny"
        box = (char.x0, char.y0, char.x1, char.y1)
        if self._crop is not None and not _overlaps(box, self._crop):
            return "off-page"
        clip = getattr(state, "clip", None)
        if clip is not None and _share_inside(box, clip) < CLIP_MIN_SHARE:
            return "clipped"
        return self._contrast_kind(box, state)

    def _contrast_kind(self, box: Box, state: Any) -> str | None:
        stroked = self._render_mode in (1, 5)
        background = self._background(_middle(box))
        if background is None:
            return None
        colour, space = (state.scolor, state.scs) if stroked else (state.ncolor, state.ncs)
        alpha = getattr(state, "stroke_alpha" if stroked else "fill_alpha", 1.0)
        try:
            return _colour_kind(colour, getattr(space, "name", "DeviceGray"), background, alpha)
        except TypeError:  # an unhashable colour operand: a damaged file, nothing to measure
            return None

    def _background(self, point: tuple[float, float]) -> RGB | None:
        """The colour painted under `point` so far: the last filled shape holding it, or the
        white paper; None when that shape's colour or opacity is unknown."""
        for paint in reversed(self._paints):
            if _holds(paint.box, point):
                return paint.rgb if paint.opaque else None
        return WHITE

    def _record_fill(self, gstate: Any, path: Any) -> None:
        subpaths = "".join(str(segment[0]) for segment in path).count("m")
        points = [apply_matrix_pt(self.ctm, (float(x), float(y)))
                  for segment in path for x, y in zip(segment[1::2], segment[2::2])]
        if not points:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        clip = getattr(gstate, "clip", None)
        if clip is not None:  # only what the clipping area lets through is painted
            box = _intersect(box, clip)
            if box[2] <= box[0] or box[3] <= box[1]:
                return
        opaque = getattr(gstate, "fill_alpha", 1.0) >= OPAQUE_ALPHA and getattr(gstate, "plain_blend", True)
        simple = subpaths == 1  # a frame (a box with a hole) is two subpaths: its colour is not under the hole
        rgb = _rgb(gstate.ncolor, getattr(gstate.ncs, "name", "DeviceGray")) if simple else None
        self._add_paint(_Paint(box, rgb, opaque))
        if simple and opaque and _is_rectangle(points):
            self._cover(box)

    def _add_paint(self, paint: _Paint) -> None:
        x0, y0, x1, y1 = paint.box
        if x1 - x0 >= MIN_PAINT_SIDE and y1 - y0 >= MIN_PAINT_SIDE:
            self._paints.append(paint)

    def _cover(self, box: Box) -> None:
        """Drop the glyphs shown so far that an opaque rectangle painted now lies over."""
        x0, y0, x1, y1 = box
        if x1 - x0 < MIN_FONT_SIZE or y1 - y0 < MIN_FONT_SIZE or not self._shown:
            return
        t = COVER_TOLERANCE
        kept = []
        for char, container in self._shown:
            if x0 - t <= char.x0 and char.x1 <= x1 + t and y0 - t <= char.y0 and char.y1 <= y1 + t:
                container._objs.remove(char)
                self.hidden["covered"] += _letters(char)
            else:
                kept.append((char, container))
        self._shown = kept


def read_visible_layout(page: Any) -> Counter[str]:
    """Lay `page` (a pdfplumber page) out without its hidden glyphs, so `page.chars` holds only
    what a reader sees; return the count of hidden non-space characters by kind."""
    device = _Device(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    interpreter = _Interpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    page.flush_cache()
    page._layout = device.get_result()  # pdfplumber's cached layout, which `page.chars` is read from
    return device.hidden


def describe_kinds(kinds: Counter[str]) -> str:
    """"tiny, off-page or white-on-white": the kinds found, in `HIDDEN_KINDS` order."""
    names = [k for k in HIDDEN_KINDS if kinds.get(k)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


# ---------------------------------------------------------------------------------------------
# Colour and geometry


def _rgb(colour: Any, name: str) -> RGB | None:
    """A gray, RGB or CMYK colour (`name`: its colour space) as sRGB; None for any other space."""
    values = colour if isinstance(colour, tuple) else (colour,)
    if not all(isinstance(v, (int, float)) for v in values):
        return None
    v = [min(1.0, max(0.0, float(x))) for x in values]
    if len(v) == 1 and name in ("DeviceGray", "CalGray", "ICCBased"):
        return (v[0], v[0], v[0])
    if len(v) == 3 and name in ("DeviceRGB", "CalRGB", "ICCBased"):
        return (v[0], v[1], v[2])
    if len(v) == 4 and name in ("DeviceCMYK", "ICCBased"):
        return ((1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3]))
    return None


@lru_cache(maxsize=4096)
def _colour_kind(colour: Any, space: str, background: RGB, alpha: float) -> str | None:
    """"white-on-white" or "low-contrast" when text of `colour` (at `alpha`) cannot be told from
    `background`; None when it can or its colour space is not one measured here."""
    rgb = _rgb(colour, space)
    if rgb is None:
        return None
    seen: RGB = tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background))  # type: ignore[assignment]
    if not looks_alike(seen, background):
        return None
    if not looks_alike(rgb, background):
        return "transparent"  # its colour would show, its alpha does not let it
    return "white-on-white" if min(seen + background) >= WHITE_LEVEL else "low-contrast"


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance: 0 (black) to 1 (white)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours: 1 (same lightness) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def looks_alike(text: RGB, background: RGB) -> bool:
    """Text a reader cannot tell from its background: close in lightness and in hue (pure green
    links on white have a contrast of only 1.4, but differ by a whole channel)."""
    distance = max(abs(a - b) for a, b in zip(text, background))
    return contrast(text, background) < MIN_CONTRAST and distance < MAX_COLOUR_DISTANCE


def _letters(char: LTChar) -> int:
    """The characters of a glyph a reader could see: no spaces or zero-width format characters."""
    return _visible_length(char.get_text())


@lru_cache(maxsize=8192)
def _visible_length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _middle(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _holds(box: Box, point: tuple[float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _share_inside(box: Box, clip: Box) -> float:
    """The share of `box`'s area inside `clip` (1 for a box of no area whose corner is inside)."""
    inside = _intersect(box, clip)
    area = (box[2] - box[0]) * (box[3] - box[1])
    if area <= 0:
        return 1.0 if _holds(clip, (box[0], box[1])) else 0.0
    return (inside[2] - inside[0]) * (inside[3] - inside[1]) / area


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _intersect(a: Box, b: Box) -> Box:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, max(x0, x1), max(y0, y1))


def _is_rectangle(points: list[tuple[float, float]]) -> bool:
    """An axis-aligned rectangle: every corner on one of two x's and one of two y's."""
    xs = sorted({round(p[0], 1) for p in points})
    ys = sorted({round(p[1], 1) for p in points})
    return len(xs) == 2 and len(ys) == 2
