"""The network map, free of Django: corporate groups and the organizations whose struggles
they appear in, laid out and drawn as one SVG string on the server.

What it draws
    Organizations sit evenly spaced on an outer ring, each a rounded square with its name
    outside the ring. Corporate groups are circles inside it, placed by a short
    force-directed pass (each group pulled towards the nodes it is linked to, pushed away
    from its neighbours), so a group sits near the organizations it links. An edge is a line
    whose stroke grows with the evidence behind it. A node's area is proportional to its
    weight, between a minimum and a maximum radius, so the groups that many struggles pass
    through are drawn largest. Groups and organizations differ in shape and label weight,
    not only in colour. Sizes compare within a kind: when crowded, the ring and the inner
    disc each shrink their own nodes, below the minimum radius if need be, so that no two
    nodes overlap.

Why SVG rendered here
    The map is markup in the page: it works without JavaScript, each node is a plain link
    with its own tooltip, it scales to a phone through its viewBox, and nothing is loaded
    from a third party. It uses presentation attributes only, never ``style`` or ``<style>``,
    so the site's Content-Security-Policy can keep forbidding inline styles; classes
    (``graph-edge``, ``graph-group``, ``graph-organization``, ``graph-label``) let the
    page's stylesheet restyle it.

Contract
    The output depends only on the set of nodes and edges, never on their order: inputs are
    sorted and the layout has no randomness, so the same map renders byte for byte the same.
    Edges whose ends are not both among the nodes, and edges from a node to itself, are
    ignored; edges between the same two nodes are merged, their weights added. Only links
    within the site are kept (no scheme, no host); any other ``href`` draws the node
    without a link. Text is XML-escaped, and characters XML cannot carry are dropped.
    Labels are kept in logical order (the browser applies bidi) and cut to
    `LABEL_MAX_CHARACTERS` user-perceived characters with "…".
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

GROUP = "group"
ORGANIZATION = "organization"
KINDS = (GROUP, ORGANIZATION)

LABEL_MAX_CHARACTERS = 28
ELLIPSIS = "…"

MIN_RADIUS = 5.0
MAX_RADIUS = 30.0
# A rounded square of half-side r·√π/2 has the area of a circle of radius r.
SQUARE_HALF_SIDE = math.sqrt(math.pi) / 2
SQUARE_CORNER = 0.3

PADDING = 6.0
GAP = 3.0
LABEL_GAP = 3.0
GROUP_FONT_SIZE = 12.0
ORGANIZATION_FONT_SIZE = 11.0
# A generous average advance per character, in ems, for fitting labels inside the viewBox.
CHARACTER_WIDTH = 0.6
WIDE_CHARACTER_WIDTH = 1.0
LINE_HALF_HEIGHT = 0.6
# The share of the inner disc the groups (with their gaps) may cover; low enough that the
# greedy placement always finds a free spot.
GROUP_DENSITY = 0.3
FORCE_ITERATIONS = 60

EDGE_MIN_WIDTH = 1.0
EDGE_MAX_WIDTH = 6.0

GROUP_FILL = "#b3261e"
ORGANIZATION_FILL = "#1d5b8c"
NODE_STROKE = "#ffffff"
EDGE_STROKE = "#7a7a7a"
TEXT_FILL = "#1b1b1b"
HALO = "#ffffff"

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Node:
    """One group or organization on the map; ``id`` is unique among the nodes drawn."""

    id: str
    label: str
    kind: str
    weight: int
    href: str | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Node kind must be one of {KINDS}, not {self.kind!r}.")
        if self.weight < 1:
            raise ValueError(f"Node weight must be at least 1, not {self.weight}.")


@dataclass(frozen=True)
class Edge:
    """A link between two nodes, weighted by how many pieces of evidence support it."""

    source: str
    target: str
    weight: int = 1

    def __post_init__(self) -> None:
        if self.weight < 1:
            raise ValueError(f"Edge weight must be at least 1, not {self.weight}.")


@dataclass(frozen=True)
class _Label:
    text: str
    font_size: float
    half_width: float
    half_height: float
    right_to_left: bool


@dataclass(frozen=True)
class _Plan:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    positions: dict[str, tuple[float, float]]
    radii: dict[str, float]
    labels: dict[str, _Label]
    label_centres: dict[str, tuple[float, float]]


def layout(
    nodes: Sequence[Node], edges: Sequence[Edge], *, width: int, height: int
) -> dict[str, tuple[float, float]]:
    """Return the centre of every node, by id, as `render_svg` draws it in a ``width`` ×
    ``height`` viewBox."""
    return _plan(nodes, edges, width=width, height=height).positions


def render_svg(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str,
    description: str = "",
    width: int = 960,
    height: int = 640,
) -> str:
    """Return the map as one standalone ``<svg>`` element, sized by its viewBox only.

    The element is ``role="img"`` when no node is a link; with links it is ``role="group"``,
    since an image's children are hidden from assistive technology and its links would be
    unreachable there. Either way ``title`` names it and ``description``, where given,
    describes it; both are plain text, escaped here.
    """
    plan = _plan(nodes, edges, width=width, height=height)
    suffix = _fingerprint(plan, title, description, width, height)
    title_id = f"graph-{suffix}-title"
    desc_id = f"graph-{suffix}-desc"
    has_links = any(_safe_href(node.href) is not None for node in plan.nodes)
    described = f' aria-describedby="{desc_id}"' if description.strip() else ""
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="0 0 {width} {height}"'
        f' role="{"group" if has_links else "img"}" aria-labelledby="{title_id}"{described}'
        ' class="graph">',
        f'<title id="{title_id}">{_escape(title)}</title>',
        f'<desc id="{desc_id}">{_escape(description)}</desc>',
    ]
    if plan.edges:
        parts.append(_render_edges(plan))
    for kind in (ORGANIZATION, GROUP):
        kind_nodes = [node for node in plan.nodes if node.kind == kind]
        if kind_nodes:
            parts.append(f'<g class="graph-{kind}s">')
            parts.extend(_render_node(plan, node) for node in kind_nodes)
            parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def node_radius(weight: int, *, heaviest: int) -> float:
    """Radius for ``weight`` on a map whose heaviest node of that kind weighs ``heaviest``.

    Area is proportional to weight, the heaviest getting `MAX_RADIUS`; never below
    `MIN_RADIUS`.
    """
    return max(MIN_RADIUS, MAX_RADIUS * math.sqrt(weight / max(heaviest, 1)))


def edge_width(weight: int) -> float:
    """Stroke width for an edge backed by ``weight`` pieces of evidence."""
    return min(EDGE_MAX_WIDTH, EDGE_MIN_WIDTH + 1.25 * math.log2(weight))


def truncate_label(label: str, limit: int = LABEL_MAX_CHARACTERS) -> str:
    """Cut ``label`` to ``limit`` user-perceived characters, the last one being "…".

    Whitespace runs become one space. A character keeps its combining marks, joiners,
    variation selectors and, after a virama, the consonant it joins, so nothing is split
    badly.
    """
    clusters = _clusters(" ".join(_xml_text(label).split()))
    if len(clusters) <= limit:
        return "".join(clusters)
    return "".join(clusters[: max(limit - 1, 0)]).rstrip() + ELLIPSIS


# Layout.


def _plan(nodes: Sequence[Node], edges: Sequence[Edge], *, width: int, height: int) -> _Plan:
    if width <= 0 or height <= 0:
        raise ValueError(f"The viewBox must have a positive size, not {width}×{height}.")
    ordered = _sorted_nodes(nodes)
    merged = _merged_edges(edges, {node.id for node in ordered})
    organizations = _ring_order(ordered, merged)
    groups = [node for node in ordered if node.kind == GROUP]
    labels = {node.id: _label(node, width) for node in ordered}

    positions: dict[str, tuple[float, float]] = {}
    radii: dict[str, float] = {}
    label_centres: dict[str, tuple[float, float]] = {}
    centre = (width / 2, height / 2)
    inner_radius = _place_ring(
        organizations, labels, positions, radii, label_centres, centre, width, height
    )
    _place_groups(groups, merged, positions, radii, centre, inner_radius)
    for node in groups:
        x, y = positions[node.id]
        label = labels[node.id]
        label_centres[node.id] = (x, y + radii[node.id] + LABEL_GAP + label.half_height)
    for node_id, (x, y) in label_centres.items():
        label_centres[node_id] = _clamp_box(x, y, labels[node_id], width, height)
    return _Plan(
        nodes=tuple(ordered),
        edges=tuple(merged),
        positions=positions,
        radii=radii,
        labels=labels,
        label_centres=label_centres,
    )


def _sorted_nodes(nodes: Iterable[Node]) -> list[Node]:
    ordered = sorted(nodes, key=lambda node: (node.kind, node.id))
    seen: set[str] = set()
    for node in ordered:
        if node.id in seen:
            raise ValueError(f"Node ids must be unique; {node.id!r} appears twice.")
        seen.add(node.id)
    return ordered


def _merged_edges(edges: Iterable[Edge], known: set[str]) -> list[Edge]:
    weights: dict[tuple[str, str], int] = {}
    for edge in edges:
        if edge.source == edge.target or edge.source not in known or edge.target not in known:
            continue
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        weights[pair] = weights.get(pair, 0) + edge.weight
    return [Edge(source, target, weight) for (source, target), weight in sorted(weights.items())]


def _neighbours(edges: Iterable[Edge]) -> dict[str, list[tuple[str, int]]]:
    neighbours: dict[str, list[tuple[str, int]]] = {}
    for edge in edges:
        neighbours.setdefault(edge.source, []).append((edge.target, edge.weight))
        neighbours.setdefault(edge.target, []).append((edge.source, edge.weight))
    return neighbours


def _ring_order(ordered: list[Node], edges: list[Edge]) -> list[Node]:
    """Organizations in ring order: those sharing their strongest group side by side."""
    groups = {node.id: node for node in ordered if node.kind == GROUP}
    rank = {
        node_id: index
        for index, node_id in enumerate(
            sorted(groups, key=lambda node_id: (-groups[node_id].weight, node_id))
        )
    }
    neighbours = _neighbours(edges)

    def key(node: Node) -> tuple[int, str]:
        linked = [
            (-weight, rank[other]) for other, weight in neighbours.get(node.id, []) if other in rank
        ]
        return (min(linked)[1] if linked else len(rank), node.id)

    return sorted((node for node in ordered if node.kind == ORGANIZATION), key=key)


def _place_ring(
    organizations: list[Node],
    labels: dict[str, _Label],
    positions: dict[str, tuple[float, float]],
    radii: dict[str, float],
    label_centres: dict[str, tuple[float, float]],
    centre: tuple[float, float],
    width: int,
    height: int,
) -> float:
    """Place the organizations; return the radius of the free disc inside the ring."""
    cx, cy = centre
    count = len(organizations)
    heaviest = max((node.weight for node in organizations), default=1)
    wanted = [node_radius(node.weight, heaviest=heaviest) for node in organizations]
    directions = [
        (math.cos(angle), math.sin(angle))
        for angle in (-math.pi / 2 + 2 * math.pi * index / max(count, 1) for index in range(count))
    ]
    floor = 0.25 * min(width, height)

    def fitting_radius(scale: float) -> float:
        radius = min(width, height) / 2 - PADDING
        for node, base, (ux, uy) in zip(organizations, wanted, directions, strict=True):
            footprint = base * scale * SQUARE_HALF_SIDE * math.sqrt(2)
            label = labels[node.id]
            reach = _label_offset(footprint, label, ux, uy)
            radius = min(radius, min(width, height) / 2 - PADDING - footprint)
            if abs(ux) > 1e-9:
                radius = min(radius, (width / 2 - PADDING - label.half_width) / abs(ux) - reach)
            if abs(uy) > 1e-9:
                radius = min(radius, (height / 2 - PADDING - label.half_height) / abs(uy) - reach)
        return max(radius, floor)

    largest = max(wanted, default=MIN_RADIUS) * SQUARE_HALF_SIDE * math.sqrt(2)
    scale = min(1.0, max(min(width, height) / 2 - PADDING - floor, 1.0) / largest)
    if count > 1:
        chord = 2 * fitting_radius(1.0) * math.sin(math.pi / count)
        scale = min(scale, (chord - min(GAP, chord / 4)) / (2 * largest))
    ring_radius = fitting_radius(scale)
    for node, base, (ux, uy) in zip(organizations, wanted, directions, strict=True):
        radius = base * scale
        footprint = radius * SQUARE_HALF_SIDE * math.sqrt(2)
        label = labels[node.id]
        reach = _label_offset(footprint, label, ux, uy)
        positions[node.id] = (cx + ring_radius * ux, cy + ring_radius * uy)
        radii[node.id] = radius
        label_centres[node.id] = (cx + (ring_radius + reach) * ux, cy + (ring_radius + reach) * uy)
    largest_footprint = max(
        (radii[node.id] * SQUARE_HALF_SIDE * math.sqrt(2) for node in organizations), default=0.0
    )
    if not organizations:
        return ring_radius
    # Room for a group's label between the groups and the ring, where the ring has it.
    margin = min(GAP + 2 * GROUP_FONT_SIZE, 0.1 * ring_radius)
    return max(ring_radius - largest_footprint - max(GAP, margin), 1.0)


def _label_offset(footprint: float, label: _Label, ux: float, uy: float) -> float:
    """How far out along (ux, uy) a label's centre sits, its box clearing the node by a gap."""
    clearance = footprint + LABEL_GAP
    low, high = 0.0, 2 * (clearance + label.half_width + label.half_height)
    for _ in range(30):
        middle = (low + high) / 2
        dx = max(0.0, abs(ux) * middle - label.half_width)
        dy = max(0.0, abs(uy) * middle - label.half_height)
        if math.hypot(dx, dy) >= clearance:
            high = middle
        else:
            low = middle
    return high


def _place_groups(
    groups: list[Node],
    edges: list[Edge],
    positions: dict[str, tuple[float, float]],
    radii: dict[str, float],
    centre: tuple[float, float],
    inner_radius: float,
) -> None:
    """Size the groups to fit the inner disc, then place them: forces first, then apart."""
    if not groups:
        return
    heaviest = max(node.weight for node in groups)
    wanted = [node_radius(node.weight, heaviest=heaviest) for node in groups]
    room = GROUP_DENSITY * inner_radius**2
    # Room between two groups for a label line, where the disc has it.
    gap = min(GAP + GROUP_FONT_SIZE, 1.4 * math.sqrt(room / len(groups)))
    # The largest scale with sum((scale * r + gap / 2) ** 2) <= room.
    a = sum(radius**2 for radius in wanted)
    b = gap * sum(wanted)
    c = len(groups) * gap**2 / 4 - room
    scale = min(
        1.0,
        (-b + math.sqrt(b**2 - 4 * a * c)) / (2 * a),
        inner_radius / (2 * max(wanted)),
    )
    for node, base in zip(groups, wanted, strict=True):
        radii[node.id] = base * scale
    start = _initial_positions(groups, edges, positions, centre, inner_radius)
    settled = _force_pass(groups, edges, positions, radii, start, centre, inner_radius, gap)
    positions.update(_separate(groups, radii, settled, centre, inner_radius, gap))


def _initial_positions(
    groups: list[Node],
    edges: list[Edge],
    positions: dict[str, tuple[float, float]],
    centre: tuple[float, float],
    inner_radius: float,
) -> dict[str, tuple[float, float]]:
    """Each group at the weighted centre of the organizations it links, slightly apart."""
    cx, cy = centre
    neighbours = _neighbours(edges)
    start: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(groups):
        total = sx = sy = 0.0
        for other, weight in neighbours.get(node.id, []):
            if other in positions:
                x, y = positions[other]
                sx += weight * x
                sy += weight * y
                total += weight
        x, y = (sx / total, sy / total) if total else (cx, cy)
        spread = 0.05 * inner_radius * math.sqrt(index + 1) / math.sqrt(len(groups))
        x += spread * math.cos(index * GOLDEN_ANGLE)
        y += spread * math.sin(index * GOLDEN_ANGLE)
        start[node.id] = _inside_disc(x, y, centre, 0.8 * inner_radius)
    return start


def _force_pass(
    groups: list[Node],
    edges: list[Edge],
    fixed: dict[str, tuple[float, float]],
    radii: dict[str, float],
    start: dict[str, tuple[float, float]],
    centre: tuple[float, float],
    inner_radius: float,
    gap: float,
) -> dict[str, tuple[float, float]]:
    """Pull each group towards its linked nodes and push it off its close neighbours."""
    neighbours = _neighbours(edges)
    current = dict(start)
    ids = [node.id for node in groups]
    order = {node_id: index for index, node_id in enumerate(ids)}
    reach = 2 * max(radii[node_id] for node_id in ids) + gap + 1
    for iteration in range(FORCE_ITERATIONS):
        cooling = 1 - iteration / FORCE_ITERATIONS
        # Attraction is capped and fades as the pass cools; overlaps are always pushed apart.
        limit = 0.02 * inner_radius * cooling
        pull = 0.2 * cooling
        pulled: dict[str, tuple[float, float]] = {}
        for node_id in ids:
            x, y = current[node_id]
            total = sx = sy = 0.0
            for other, weight in neighbours.get(node_id, ()):
                ox, oy = current[other] if other in current else fixed[other]
                sx += weight * ox
                sy += weight * oy
                total += weight
            tx, ty = (sx / total, sy / total) if total else centre
            fx, fy = pull * (tx - x), pull * (ty - y)
            step = math.hypot(fx, fy)
            if step > limit:
                fx, fy = fx * limit / step, fy * limit / step
            pulled[node_id] = (x + fx, y + fy)
        current = pulled
        grid = _grid(ids, current, reach)
        for node_id in ids:
            x, y = current[node_id]
            for other in _nearby(grid, x, y, reach):
                if order[other] <= order[node_id]:
                    continue
                ox, oy = current[other]
                dx, dy = x - ox, y - oy
                distance = math.hypot(dx, dy)
                # A unit beyond the spacing `_separate` checks, so that it rarely moves a group.
                wanted = radii[node_id] + radii[other] + gap + 1
                if distance >= wanted:
                    continue
                if distance < 1e-6:
                    angle = (order[other] - order[node_id]) * GOLDEN_ANGLE
                    dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
                push = 0.5 * (wanted - distance) / distance
                x, y = x + push * dx, y + push * dy
                current[other] = (ox - push * dx, oy - push * dy)
            current[node_id] = (x, y)
        for node_id in ids:
            x, y = current[node_id]
            bound = inner_radius - radii[node_id] - GAP
            current[node_id] = _inside_disc(x, y, centre, bound)
    return current


def _separate(
    groups: list[Node],
    radii: dict[str, float],
    wanted: dict[str, tuple[float, float]],
    centre: tuple[float, float],
    inner_radius: float,
    gap: float,
) -> dict[str, tuple[float, float]]:
    """Place the heaviest groups first, each at the free spot nearest where it wants to be."""
    cell = 2 * max(radii[node.id] for node in groups) + gap
    placed: dict[str, tuple[float, float]] = {}
    grid: dict[tuple[int, int], list[str]] = {}
    for node in sorted(groups, key=lambda node: (-node.weight, node.id)):
        radius = radii[node.id]
        step = 0.4 * (radius + gap / 2)
        attempts = min(int((2 * inner_radius / step) ** 2) + 1, 200_000)
        x0, y0 = wanted[node.id]
        bound = inner_radius - radius - GAP
        spot = (x0, y0)
        for attempt in range(attempts):
            distance = step * math.sqrt(attempt)
            x = x0 + distance * math.cos(attempt * GOLDEN_ANGLE)
            y = y0 + distance * math.sin(attempt * GOLDEN_ANGLE)
            if math.hypot(x - centre[0], y - centre[1]) > bound:
                continue
            if not any(
                math.hypot(x - placed[other][0], y - placed[other][1]) < radius + radii[other] + gap
                for other in _nearby(grid, x, y, cell)
            ):
                spot = (x, y)
                break
        placed[node.id] = spot
        grid.setdefault(_cell(spot[0], spot[1], cell), []).append(node.id)
    return placed


def _grid(
    ids: list[str], positions: dict[str, tuple[float, float]], cell: float
) -> dict[tuple[int, int], list[str]]:
    grid: dict[tuple[int, int], list[str]] = {}
    for node_id in ids:
        x, y = positions[node_id]
        grid.setdefault(_cell(x, y, cell), []).append(node_id)
    return grid


def _cell(x: float, y: float, cell: float) -> tuple[int, int]:
    return (math.floor(x / cell), math.floor(y / cell))


def _nearby(grid: dict[tuple[int, int], list[str]], x: float, y: float, cell: float) -> list[str]:
    column, row = math.floor(x / cell), math.floor(y / cell)
    found: list[str] = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            found.extend(grid.get((column + dx, row + dy), ()))
    return found


def _inside_disc(
    x: float, y: float, centre: tuple[float, float], radius: float
) -> tuple[float, float]:
    dx, dy = x - centre[0], y - centre[1]
    distance = math.hypot(dx, dy)
    radius = max(radius, 0.0)
    if distance <= radius:
        return (x, y)
    return (centre[0] + dx * radius / distance, centre[1] + dy * radius / distance)


def _clamp_box(x: float, y: float, label: _Label, width: int, height: int) -> tuple[float, float]:
    low_x, high_x = PADDING + label.half_width, width - PADDING - label.half_width
    low_y, high_y = PADDING + label.half_height, height - PADDING - label.half_height
    x = width / 2 if low_x > high_x else min(max(x, low_x), high_x)
    y = height / 2 if low_y > high_y else min(max(y, low_y), high_y)
    return (x, y)


# Text.


def _label(node: Node, width: int) -> _Label:
    font_size = GROUP_FONT_SIZE if node.kind == GROUP else ORGANIZATION_FONT_SIZE
    room = width - 2 * PADDING
    text = truncate_label(node.label)
    limit = LABEL_MAX_CHARACTERS
    while limit > 1 and _text_width(text, font_size) > room:
        limit -= 1
        text = truncate_label(node.label, limit)
    return _Label(
        text=text,
        font_size=font_size,
        half_width=_text_width(text, font_size) / 2,
        half_height=LINE_HALF_HEIGHT * font_size,
        right_to_left=_first_strong_is_right_to_left(text),
    )


def _text_width(text: str, font_size: float) -> float:
    ems = 0.0
    for character in text:
        if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me"):
            continue
        wide = unicodedata.east_asian_width(character) in ("W", "F")
        ems += WIDE_CHARACTER_WIDTH if wide else CHARACTER_WIDTH
    return ems * font_size


def _first_strong_is_right_to_left(text: str) -> bool:
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _clusters(text: str) -> list[str]:
    """Split ``text`` into user-perceived characters, approximately (no ICU here)."""
    clusters: list[str] = []
    joined = False
    for character in text:
        extends = (
            unicodedata.category(character) in ("Mn", "Mc", "Me")
            or character in ("\u200c", "\u200d")
            or 0x1F3FB <= ord(character) <= 0x1F3FF
            or 0xE0020 <= ord(character) <= 0xE007F
        )
        flag_pair = (
            clusters
            and _is_regional_indicator(character)
            and len(clusters[-1]) == 1
            and _is_regional_indicator(clusters[-1])
        )
        if clusters and (extends or joined or flag_pair):
            clusters[-1] += character
        else:
            clusters.append(character)
        joined = character == "\u200d" or unicodedata.combining(character) == 9
    return clusters


def _is_regional_indicator(character: str) -> bool:
    return 0x1F1E6 <= ord(character) <= 0x1F1FF


def _xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/F)."""
    return "".join(
        character
        for character in text
        if character in "\t\n\r"
        or 0x20 <= ord(character) <= 0xD7FF
        or 0xE000 <= ord(character) <= 0xFFFD
        or 0x10000 <= ord(character) <= 0x10FFFF
    )


def _escape(text: str) -> str:
    return (
        _xml_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _safe_href(href: str | None) -> str | None:
    """The link if it stays within the site: no scheme, no host, nothing a browser strips."""
    if not href or any(character.isspace() or ord(character) < 0x20 for character in href):
        return None
    if "\\" in href or href.startswith("//"):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return href


# Markup.


def _number(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _fingerprint(plan: _Plan, title: str, description: str, width: int, height: int) -> str:
    digest = hashlib.blake2s(digest_size=4)
    for part in (title, description, str(width), str(height)):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    for node in plan.nodes:
        digest.update(repr(node).encode("utf-8", "replace") + b"\0")
    for edge in plan.edges:
        digest.update(repr(edge).encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()


def _render_edges(plan: _Plan) -> str:
    lines = [
        f'<g class="graph-edges" stroke="{EDGE_STROKE}" stroke-opacity="0.6"'
        ' stroke-linecap="round" fill="none" aria-hidden="true">'
    ]
    for edge in plan.edges:
        x1, y1 = plan.positions[edge.source]
        x2, y2 = plan.positions[edge.target]
        lines.append(
            f'<line class="graph-edge" x1="{_number(x1)}" y1="{_number(y1)}"'
            f' x2="{_number(x2)}" y2="{_number(y2)}"'
            f' stroke-width="{_number(edge_width(edge.weight))}"/>'
        )
    lines.append("</g>")
    return "\n".join(lines)


def _render_node(plan: _Plan, node: Node) -> str:
    x, y = plan.positions[node.id]
    radius = plan.radii[node.id]
    if node.kind == GROUP:
        shape = (
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(radius)}"'
            f' fill="{GROUP_FILL}" stroke="{NODE_STROKE}" stroke-width="1.5"/>'
        )
    else:
        half = radius * SQUARE_HALF_SIDE
        shape = (
            f'<rect x="{_number(x - half)}" y="{_number(y - half)}"'
            f' width="{_number(2 * half)}" height="{_number(2 * half)}"'
            f' rx="{_number(half * SQUARE_CORNER)}" fill="{ORGANIZATION_FILL}"'
            f' stroke="{NODE_STROKE}" stroke-width="1.5"/>'
        )
    label = plan.labels[node.id]
    lx, ly = plan.label_centres[node.id]
    direction = ' direction="rtl"' if label.right_to_left else ""
    weight = ' font-weight="bold"' if node.kind == GROUP else ""
    text = (
        f'<text class="graph-label" x="{_number(lx)}" y="{_number(ly)}" text-anchor="middle"'
        f' dominant-baseline="central" font-size="{_number(label.font_size)}"{weight}'
        f' fill="{TEXT_FILL}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round"'
        f' paint-order="stroke"{direction}>{_escape(label.text)}</text>'
    )
    tooltip = " ".join(node.label.split())
    if node.detail.strip():
        tooltip += "\n" + node.detail.strip()
    inner = f"<title>{_escape(tooltip)}</title>{shape}{text}"
    href = _safe_href(node.href)
    node_class = f"graph-node graph-{node.kind}"
    if href is None:
        return f'<g class="{node_class}">{inner}</g>'
    return f'<a class="{node_class}" href="{_escape(href)}">{inner}</a>'
