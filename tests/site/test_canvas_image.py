"""Save as image: the map canvas as a PNG a director puts on a slide, made in Debian's
Chromium from the page itself, from ``file://`` and over http (``journeymaps serve``).

The PNG is checked with the standard library (signature, chunk checksums, size, and that
its pixel data inflates to exactly that size), and its pixels are read back by a second,
independent decoder: Chromium's own, from a data: URL in a blank page."""

from __future__ import annotations

import base64
import shutil
import struct
import textwrap
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, TODAY, serving
from journeymaps.settings import load_settings
from journeymaps.site.build import build

EXAMPLES = ("admin-locked-out", "admin-locked-out-future", "billing-dispute", "production-outage")
DESKTOP = {"width": 1440, "height": 900}
FIXTURE = Path(__file__).parent / "fixture"
STAGE_HEAD = (0xE8, 0xEE, 0xF4)  # .canvas .stage-head's background
CURVE = (0x0B, 0x3A, 0x5D)  # the emotion curve's main line
PAD, BAND = 16, 44  # CSS px around the canvas, and above it for the map's title (canvas-image.js)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build([ROOT / "maps"], load_settings(ROOT), ROOT, out, today=TODAY)
    return out


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, after checking it is a whole, valid 8-bit RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad checksum in {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)  # 8-bit RGBA
    assert len(zlib.decompress(idat)) == height * (1 + width * 4)  # every row, a filter byte each
    return width, height


#: Runs in a blank page: the PNG decoded by Chromium and the facts the tests ask of it.
READ_PNG = """async ([data, probes]) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + data;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
  // Distinct colours and the share of pixels that are not white, over a grid of samples.
  const all = ctx.getImageData(0, 0, c.width, c.height).data;
  const colours = new Set();
  let inked = 0, n = 0;
  for (let i = 0; i < all.length; i += 4 * 7) {
    colours.add((all[i] << 16) | (all[i + 1] << 8) | all[i + 2]);
    if (all[i] + all[i + 1] + all[i + 2] < 600) inked++;
    n++;
  }
  const count = (box, near, tolerance) => {  // pixels in a box close to a colour
    const d = ctx.getImageData(box[0], box[1], box[2], box[3]).data;
    let k = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - near[0]) + Math.abs(d[i + 1] - near[1]) + Math.abs(d[i + 2] - near[2]) <= tolerance) k++;
    }
    return k;
  };
  return {
    colours: colours.size, inked: inked / n,
    points: probes.points.map(p => px(p[0], p[1])),
    counts: probes.counts.map(q => count(q[0], q[1], q[2])),
  };
}"""

#: Runs in the canvas's page: where things are, in CSS pixels from the canvas's top left
#: corner as if nothing were scrolled (the picture has no scrolling).
WHERE = """() => {
  const scroller = document.querySelector('.canvas-scroll');
  const grid = scroller.firstElementChild;
  const g = grid.getBoundingClientRect();
  const box = e => { const r = e.getBoundingClientRect();
    return [r.x - g.x, r.y - g.y, r.width, r.height]; };
  const heads = Array.from(grid.querySelectorAll('.stage-head:not(.off-path)')).map(box);
  const names = Array.from(grid.querySelectorAll('.stage-name')).map(box);
  const cards = Array.from(grid.querySelectorAll('.step-card')).map(box);
  const curve = grid.querySelector('.canvas-curve');
  return {width: scroller.scrollWidth, height: scroller.scrollHeight, heads, names, cards,
          curve: curve ? box(curve) : null};
}"""


def read_png(browser, data: bytes, probes: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    try:
        return page.evaluate(READ_PNG, [base64.b64encode(data).decode(), probes])  # type: ignore[no-any-return]
    finally:
        page.close()


def save_image(page, tmp_path: Path, by_keyboard: bool = False) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    button = page.get_by_role("button", name="Save as image")
    with page.expect_download(timeout=120_000) as download:
        if by_keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    return download.value.suggested_filename, target.read_bytes()


def check_picture(
    browser, page, data: bytes, screenshots: Path | None = None, name: str = ""
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The PNG is the canvas's whole scroll size at 2x, drawn: stage headers in their colour
    with their names in dark text, step cards, the emotion curve."""
    where = page.evaluate(WHERE)
    width, height = png_size(data)
    # the canvas at 2x, in a margin, under a band with the map's title
    assert (width, height) == (2 * (where["width"] + 2 * PAD), 2 * (where["height"] + BAND + 2 * PAD)), (
        width,
        height,
        where,
    )
    s = 2
    ox, oy = s * PAD, s * (PAD + BAND)

    def inner(b: list[float]) -> list[int]:
        return [
            round(b[0] * s) + 2 + ox,
            round(b[1] * s) + 2 + oy,
            max(1, round(b[2] * s) - 4),
            max(1, round(b[3] * s) - 4),
        ]

    title = [ox, s * PAD, width - 2 * ox, s * BAND]
    probes = {
        # A head's top right corner is its padding: the header colour, nothing written there.
        "points": [[round((h[0] + h[2] - 4) * s) + ox, round((h[1] + 3) * s) + oy] for h in where["heads"]],
        "counts": [[inner(n), [0x1A, 0x1A, 0x1A], 90] for n in where["names"]]
        + [[inner(c), [0x1A, 0x1A, 0x1A], 90] for c in where["cards"]]
        + ([[inner(where["curve"]), list(CURVE), 30]] if where["curve"] else [])
        + [[title, [0x1A, 0x1A, 0x1A], 90]],
    }
    seen = read_png(browser, data, probes)
    assert seen["colours"] > 20 and 0.01 < seen["inked"] < 0.9, seen  # a drawing, not blank
    for colour in seen["points"]:
        assert sum(abs(a - b) for a, b in zip(colour, STAGE_HEAD, strict=True)) <= 6, seen["points"]
    assert all(k > 20 for k in seen["counts"]), seen["counts"]  # every name and card has text
    # The title is written in its band: a slide of the canvas alone named no journey.
    assert seen["counts"][-1] > 200, seen["counts"]
    if screenshots is not None:
        (screenshots / name).write_bytes(data)
    return where


@pytest.mark.parametrize("map_id", EXAMPLES)
def test_the_canvas_page_saves_the_whole_canvas_as_a_png(
    site: Path, browser, tmp_path: Path, screenshots: Path, map_id: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "maps" / f"{map_id}.canvas.html").as_uri())
    name, data = save_image(page, tmp_path)
    assert name == f"{map_id}-canvas.png"
    check_picture(browser, page, data, screenshots, f"canvas-image-{map_id}.png")
    status = page.get_by_role("status").inner_text()
    assert status.startswith(f"Saved {map_id}-canvas.png (") and "pixels" in status
    assert errors == []
    assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []  # no network
    page.close()


def test_the_map_page_saves_its_canvas_whole_not_what_the_box_shows(
    site: Path, browser, tmp_path: Path
) -> None:
    """On the map's page the canvas scrolls sideways in its box (whole in height, taller
    than the screen): the picture has all of it, from the left, however the box and the page
    are scrolled (nothing sticky in it), by keyboard too."""
    page = browser.new_page(viewport={"width": 800, "height": 700})
    page.goto((site / "maps" / "admin-locked-out.html").as_uri())
    scroller = page.locator(".canvas-scroll")
    assert scroller.evaluate("e => e.scrollHeight > 800 && e.scrollWidth > e.clientWidth")
    scroller.evaluate("e => { e.scrollLeft = 200; window.scrollBy(0, 300); }")
    name, data = save_image(page, tmp_path, by_keyboard=True)
    assert name == "admin-locked-out-canvas.png"
    scroller.evaluate("e => { e.scrollLeft = 0; }")  # for WHERE's boxes
    check_picture(browser, page, data)
    page.close()


WIDE = """
id: wide
title: A long journey
owner: support
reviewed: 2026-11-01
persona: {name: Admin}
stages:
"""


def _wide_map(stages: int, steps: int) -> str:
    body = []
    lanes = ("customer", "frontstage", "backstage", "support")
    for i in range(stages):
        body.append(
            f"  - id: s{i}\n    name: Stage {i}\n    owner: support\n    emotion: {i % 7 - 3}\n"
            "    evidence: [{source: zendesk, kind: tickets, as_of: 2026-10-01}]\n    steps:\n"
            + "".join(
                f"      - {{id: t{j}, name: Step {i}.{j}, lane: {lanes[(i + j) % 4]}, does: Does {i}.{j}, emotion: {(i + j) % 7 - 3}}}\n"
                for j in range(steps)
            )
        )
    return textwrap.dedent(WIDE).lstrip() + "".join(body)


def test_a_wide_canvas_is_saved_to_its_last_column(tmp_path: Path, browser) -> None:
    """18 steps on a screen that shows half of them: the picture has every column, the last
    step's card written at its right end."""
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "wide.yaml").write_text(_wide_map(6, 3), "utf-8")
    out = tmp_path / "site"
    build([maps], load_settings(tmp_path), tmp_path, out, today=TODAY)
    page = browser.new_page(viewport={"width": 900, "height": 800})
    page.goto((out / "maps" / "wide.canvas.html").as_uri())
    scroller = page.locator(".canvas-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth * 1.4")
    _, data = save_image(page, tmp_path)
    where = check_picture(browser, page, data)
    last = max(where["cards"], key=lambda b: b[0])
    assert last[0] + last[2] > where["width"] - 100  # the checked cards reach the right end
    page.close()


def test_over_http_from_journeymaps_serve(tmp_path: Path, fixture_cache: Path, browser) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with serving(project, env={"JOURNEYMAPS_CACHE": str(fixture_cache)}) as served:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(served.base + "maps/refund.canvas.html")
        name, data = save_image(page, tmp_path)
        assert name == "refund-canvas.png"
        check_picture(browser, page, data)
        page.close()


def test_without_javascript_there_is_no_button(site: Path, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name in ("billing-dispute.canvas.html", "billing-dispute.html"):
        page.goto((site / "maps" / name).as_uri())
        assert page.locator("[data-canvas-export] button").count() == 1
        assert not page.get_by_role("button", name="Save as image").is_visible()
    context.close()


def test_the_button_is_not_printed(site: Path, browser) -> None:
    page = browser.new_page()
    page.goto((site / "maps" / "billing-dispute.canvas.html").as_uri())
    assert page.get_by_role("button", name="Save as image").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Save as image").is_visible()
    page.close()


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (
            "HTMLCanvasElement.prototype.toBlob = function (done) { done(null); }",
            "too large for this browser",
        ),
        ("delete HTMLCanvasElement.prototype.toBlob", "this browser cannot make images from a page"),
        (
            "Object.defineProperty(HTMLImageElement.prototype, 'src', {set() { setTimeout(() => this.onerror(), 0); }})",
            "could not draw the canvas as an image",
        ),
    ],
)
def test_a_browser_that_cannot_says_so(site: Path, browser, broken: str, said: str) -> None:
    """A browser without what it takes (or whose drawing fails) says why and what to do
    instead, in the status a screen reader reads out; it never silently does nothing."""
    page = browser.new_page()
    page.add_init_script(broken)
    downloads: list[str] = []
    page.on("download", lambda d: downloads.append(d.suggested_filename))
    page.goto((site / "maps" / "billing-dispute.canvas.html").as_uri())
    page.get_by_role("button", name="Save as image").click()
    status = page.get_by_role("status")
    page.wait_for_function(
        "() => document.querySelector('[role=status]').textContent.startsWith('Could not')"
    )
    text = status.inner_text()
    assert said in text and "Save as PDF" in text, text
    assert status.is_visible() and downloads == []
    # and it can be tried again
    assert page.get_by_role("button", name="Save as image").get_attribute("aria-disabled") is None
    page.close()


#: Runs in a blank page: how far the canvas in a saved PNG (at ``ox``, ``oy``, inside its
#: margin of ``ox`` all round) differs from a screenshot of the same width, over their
#: common height.
COMPARE = """async ([a, b, ox, oy]) => {
  const load = async d => { const i = new Image(); i.src = 'data:image/png;base64,' + d; await i.decode();
    const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
    const x = c.getContext('2d'); x.drawImage(i, 0, 0); return [c.width, c.height, x.getImageData(0, 0, c.width, c.height).data]; };
  const [w1, h1, p] = await load(a); const [w2, h2, q] = await load(b);
  const w = w1 - 2 * ox, h = Math.min(h1 - oy - ox, h2);
  let far = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < Math.min(w, w2); x++) {
      const i = ((y + oy) * w1 + x + ox) * 4, j = (y * w2 + x) * 4;
      if (Math.abs(p[i] - q[j]) + Math.abs(p[i + 1] - q[j + 1]) + Math.abs(p[i + 2] - q[j + 2]) > 60) far++;
    }
  }
  return {widths: [w, w2], heights: [h1 - oy - ox, h2], far: far / (h * Math.min(w, w2))};
}"""


#: Runs in the canvas's page: moves everything under the header down by ``shift`` CSS px
#: (as a header of another height would), then by what it takes for the canvas's top to
#: fall on a whole pixel if ``whole``; returns where the canvas's top is then.
MOVE = """([shift, whole]) => {
  const top = () => document.querySelector('.canvas').getBoundingClientRect().top + scrollY;
  document.body.style.paddingTop = shift + 'px';
  if (whole) document.body.style.paddingTop = shift + Math.ceil(top()) - top() + 'px';
  return top();
}"""


def test_the_picture_looks_like_the_page(site: Path, browser, tmp_path: Path) -> None:
    """Against Chromium's own screenshot of the canvas at 2x: the same picture (text edges
    aside), so no style is lost on the way (colours, borders, the curve, the lines of
    interaction and visibility), wherever the canvas sits on the page.

    The picture is laid out from a whole pixel, the same wherever the canvas is. The page's
    canvas starts where the lines above it end (309.3 px down), and Chromium rounds each row's
    edges and text to device pixels from there: at another fraction the page's own rows come
    out a pixel taller or shorter (with a header 35.6 px shorter the same picture was 5.6 %
    "far" from the page, 1.5 % from the page with its canvas on a whole pixel). So the page
    is compared with its canvas moved onto a whole pixel, where it is laid out as the picture."""
    pictures = set()
    for shift in (0, 0.25, 0.5, 35.3):  # fractions of a pixel, and a shorter header's worth
        page = browser.new_page(viewport=DESKTOP, device_scale_factor=2)
        page.goto((site / "maps" / "billing-dispute.canvas.html").as_uri())
        page.evaluate(MOVE, [shift, False])
        _, data = save_image(page, tmp_path)
        page.get_by_role("status").inner_text()  # its line is above the canvas: shown before measuring
        pictures.add(data)
        assert page.evaluate(MOVE, [shift, True]) % 1 == 0
        shot = page.locator(".canvas").screenshot()
        page.close()
        blank = browser.new_page()
        seen = blank.evaluate(
            COMPARE,
            [base64.b64encode(data).decode(), base64.b64encode(shot).decode(), 2 * PAD, 2 * (PAD + BAND)],
        )
        blank.close()
        assert seen["widths"][0] == seen["widths"][1] and abs(seen["heights"][0] - seen["heights"][1]) <= 4, (
            seen
        )
        assert seen["far"] < 0.05, (shift, seen)
    assert len(pictures) == 1  # where the canvas sits on the page does not change the picture


def test_each_row_of_the_canvas_is_ruled_across_every_column(site: Path, browser) -> None:
    """A step with nothing in a row (a backstage step has no channel; a stage's thoughts sit
    under its first step) left that row's line stopping short, so the rows below looked cut."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "maps" / "billing-dispute.html").as_uri())
    rows = page.evaluate(
        """() => {
      const canvas = document.querySelector('.canvas').getBoundingClientRect();
      return Array.from(document.querySelectorAll('.canvas .row-band')).map(band => {
        const box = band.getBoundingClientRect();
        const label = document.querySelector(
          `.canvas .row-label[style*="grid-row: ${band.style.gridRowStart};"]`
        ) || document.querySelector(`.canvas .row-label[style$="grid-row: ${band.style.gridRowStart}"]`);
        return {name: label && label.textContent.trim(), top: box.top - label.getBoundingClientRect().top,
                from: box.left - label.getBoundingClientRect().right, to: canvas.right - box.right,
                ruled: getComputedStyle(band).borderTopStyle};
      });
    }"""
    )
    names = [row["name"] for row in rows]
    assert {"Channel", "Owner", "Pain points"} <= set(names), names
    for row in rows:
        assert row["ruled"] == "solid" and abs(row["top"]) < 1 and abs(row["from"]) < 1.5, row
        assert abs(row["to"]) < 1.5, row  # to the canvas' right edge
    page.close()
