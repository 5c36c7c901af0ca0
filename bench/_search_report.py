"""Printing for `bench.search_eval`: the reference rows of the evaluation README and the side-by-side table."""

import re
from dataclasses import dataclass, field
from pathlib import Path

LATIN = "entity_latin"
HARD_TYPES = ("loanword_spelling", "broken_plural", "typo")
GOAL_HARD, GOAL_OTHER, GOAL_LATIN = 0.85, 0.97, 0.9


@dataclass
class Row:
    """One system's figures: {type: (MRR@10, success@10 or None)} and the Latin names' P@10."""

    name: str
    known: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    latin: float | None = None
    reference: bool = False

    @property
    def ceiling(self) -> bool:
        return "ceiling" in self.name

    def overall(self, types: list[str]) -> float | None:
        """Mean MRR@10 over the known-item types (each type has the same weight, as in the README's table)."""
        values = [self.known.get(kind, (None, None))[0] for kind in types]
        if not values or any(value is None for value in values):
            return None
        return sum(values) / len(values)


_CELL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:\((\d+(?:\.\d+)?)\))?\s*$")


def _cell(text: str) -> tuple[float | None, float | None]:
    match = _CELL.match(text)
    if not match:
        return None, None  # "–" or anything that is not a figure
    mrr = float(match.group(1))
    return mrr, float(match.group(2)) if match.group(2) else 1.0


def reference_rows(readme: Path) -> list[Row]:
    """The table under "Reference figures" in the evaluation README (empty when there is none)."""
    try:
        lines = readme.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    table = [line for line in _section(lines, "reference figures") if line.strip().startswith("|")]
    if len(table) < 3:
        return []
    header = _cells(table[0])
    rows = []
    for line in table[2:]:
        cells = _cells(line)
        if len(cells) != len(header):
            continue
        row = Row(name=cells[0].replace("`", ""), reference=True)
        for title, text in zip(header[1:], cells[1:]):
            if "P@10" in title:
                row.latin = _cell(text)[0]
            else:
                mrr, hits = _cell(text)
                row.known[title.strip()] = (mrr, hits if mrr is not None and "ceiling" not in row.name else None)
        rows.append(row)
    return rows


def _section(lines: list[str], title: str) -> list[str]:
    inside, found = False, []
    for line in lines:
        if line.startswith("#"):
            inside = title in line.lower()
            continue
        if inside:
            found.append(line)
    return found


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _figure(mrr: float | None, hits: float | None) -> str:
    if mrr is None:
        return "–"
    return f"{mrr:.3f}" + (f" ({hits:.2f})" if hits is not None and hits < 0.995 else "")


def table(rows: list[Row], types: list[str]) -> str:
    """MRR@10 per known-item type (success@10 in brackets when below 1.00), Latin P@10, overall."""
    header = ["system", *types, "Latin P@10", "overall MRR"]
    body = []
    for row in rows:
        body.append([
            ("ref: " if row.reference else "") + row.name,
            *(_figure(*row.known.get(kind, (None, None))) for kind in types),
            "–" if row.latin is None else f"{row.latin:.3f}",
            _figure(row.overall(types), None),
        ])
    goals = ["goal", *(f"≥ {GOAL_HARD if kind in HARD_TYPES else GOAL_OTHER}" for kind in types), f"≥ {GOAL_LATIN}", ""]
    body.append(goals)
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    rendered = [_line(header, widths), _line(["-" * w for w in widths], widths)]
    rendered += [_line(line, widths) for line in body]
    return "\n".join(rendered)


def _line(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"


def verdicts(row: Row, references: list[Row], types: list[str]) -> list[str]:
    """What a measured row misses: the goals, and every reference row (the ceiling row excepted)."""
    misses = []
    for kind in types:
        mrr = row.known.get(kind, (None, None))[0]
        goal = GOAL_HARD if kind in HARD_TYPES else GOAL_OTHER
        if mrr is None:
            misses.append(f"{kind}: not measured")
            continue
        if mrr < goal:
            misses.append(f"{kind} {mrr:.3f} < goal {goal}")
        best = max((ref.known.get(kind, (None, None))[0] or 0.0 for ref in references if not ref.ceiling), default=0.0)
        if mrr <= best:
            misses.append(f"{kind} {mrr:.3f} ≤ best reference {best:.3f}")
    if row.latin is None or row.latin < GOAL_LATIN:
        misses.append(f"Latin P@10 {'–' if row.latin is None else f'{row.latin:.3f}'} < goal {GOAL_LATIN}")
    overall = row.overall(types)
    best_overall = max((ref.overall(types) or 0.0 for ref in references if not ref.ceiling), default=0.0)
    if overall is not None and overall <= best_overall:
        misses.append(f"overall {overall:.3f} ≤ best reference {best_overall:.3f}")
    return misses
