"""Coordinates for the quadrant SVGs (includes/quadrant.html, includes/trajectory.html).

The plot is a 270 px square from (40, 10): belang runs right, regie runs up. These
numbers are defined here only: the frame (`{% quadrant_frame %}`) is drawn from them and
the live figure carries them (`data-q-geometry`) for dashboard.js.
"""

from __future__ import annotations

from classroom.quadrant import pct

__all__ = ["pct", "quadrant_dots", "short_name", "trajectory_dots", "x", "y"]

ORIGIN_X, TOP, SIZE = 40, 10, 270


def geometry() -> dict:
    """What the frame template needs: the square, its middle lines and label anchors."""
    half = SIZE / 2
    return {
        "x0": ORIGIN_X,
        "top": TOP,
        "size": SIZE,
        "right": ORIGIN_X + SIZE,
        "bottom": TOP + SIZE,
        "mid_x": ORIGIN_X + half,
        "mid_y": TOP + half,
        "label_left": ORIGIN_X + 5,
        "label_right": ORIGIN_X + half + 5,
        "label_top": TOP + 15,
        "label_bottom": TOP + SIZE - 8,
        "axis_x_y": TOP + SIZE + 22,
        "axis_y_x": ORIGIN_X - 26,
        "data": f"{ORIGIN_X} {TOP} {SIZE}",
    }


def x(belang) -> float:
    return round(ORIGIN_X + SIZE * float(belang or 0), 1)


def y(regie) -> float:
    return round(TOP + SIZE - SIZE * float(regie or 0), 1)


def short_name(name: str) -> str:
    """The label beside a pupil's dot: readable on a touch screen, where a hover title is
    never seen (the full name is in the list under the quadrant)."""
    return name[:3]


def quadrant_dots(position, names: dict[int, str]) -> dict:
    """The lesson's two dots, the percentages for the sentences, and one dot per pupil."""
    enacted = position.enacted
    return {
        "intended_x": x(position.intended_belang),
        "intended_y": y(position.intended_regie),
        "enacted_x": x(enacted.belang),
        "enacted_y": y(enacted.regie),
        "intended_regie_pct": pct(position.intended_regie),
        "intended_belang_pct": pct(position.intended_belang),
        "enacted_regie_pct": pct(enacted.regie),
        "enacted_belang_pct": pct(enacted.belang),
        "pupils": [
            {
                "name": names.get(pk, ""),
                "short": short_name(names.get(pk, "")),
                "x": x(belang),
                "y": y(regie),
                "label_x": round(x(belang) + 6, 1),
                "label_y": round(y(regie) + 3, 1),
                "regie_pct": pct(regie),
                "belang_pct": pct(belang),
            }
            for pk, (regie, belang) in sorted(
                position.pupils.items(), key=lambda item: names.get(item[0], "")
            )
            if regie is not None  # a pupil who has not decided anything yet has no dot
        ],
    }


def trajectory_dots(items, current=None) -> dict:
    """The group's lessons in date order: numbered dots and the lines joining them."""
    points = []
    for number, (lesson, position) in enumerate(items, start=1):
        measured = position.enacted.belang is not None
        points.append(
            {
                "number": number,
                "lesson": lesson,
                "current": current is not None and lesson.pk == current.pk,
                "intended_x": x(position.intended_belang),
                "intended_y": y(position.intended_regie),
                "intended_name": position.quadrant_intended,
                "enacted_x": x(position.enacted.belang) if measured else None,
                "enacted_y": y(position.enacted.regie) if measured else None,
                "enacted_name": position.quadrant_enacted,
                "regie_pct": pct(position.enacted.regie) if measured else None,
                "belang_pct": pct(position.enacted.belang) if measured else None,
            }
        )
    enacted_path = " ".join(
        f"{'M' if i == 0 else 'L'}{p['enacted_x']} {p['enacted_y']}"
        for i, p in enumerate(q for q in points if q["enacted_x"] is not None)
    )
    intended_path = " ".join(
        f"{'M' if i == 0 else 'L'}{p['intended_x']} {p['intended_y']}" for i, p in enumerate(points)
    )
    return {"points": points, "enacted_path": enacted_path, "intended_path": intended_path}
