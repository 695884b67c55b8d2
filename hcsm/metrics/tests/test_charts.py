from datetime import date, timedelta

from hcsm.metrics.charts import badge_svg, shade, us_tile_map
from hcsm.metrics.selectors import sparkline_svg


def test_sparkline_scales_downsamples_and_escapes():
    start = date(2026, 1, 1)
    points = [(start + timedelta(days=i), 100 + i) for i in range(365)]
    svg = sparkline_svg(points, label='<b>"x"</b>')
    coords = svg.split('points="')[1].split('"')[0].split()
    assert len(coords) <= 123 and coords[0] == "2.0,46.0" and coords[-1] == "218.0,2.0"
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "100 on 2026-01-01 to 464" in svg
    assert sparkline_svg(points[:1], label="one") == ""


def test_tile_map_shades_links_and_marks_missing_states():
    svg = us_tile_map(
        {"MN": (0.9, "Minnesota"), "AL": (0.1, "Alabama")}, href=lambda s: f"/x?r={s}&k=1"
    )
    assert svg.count("<rect") == 52
    assert 'fill="#08519c"' in svg and 'fill="#eff3ff"' in svg
    assert "Minnesota: 90.0%" in svg and "TX: no registry hospitals" in svg
    assert 'href="/x?r=MN&amp;k=1"' in svg


def test_shades_cover_zero_to_one():
    assert shade(0.0)[0] == "#eff3ff" and shade(1.0)[0] == "#08519c" and shade(0.5)[0] == "#6baed6"


def test_badge_escapes():
    assert "&lt;" in badge_svg("HCSM rank", "<1>")
