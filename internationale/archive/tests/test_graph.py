"""The network map: layout and SVG rendering of corporate groups and organizations."""

import math
import random
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internationale.archive.graph import (
    ELLIPSIS,
    LABEL_MAX_CHARACTERS,
    MAX_RADIUS,
    MIN_RADIUS,
    Edge,
    Node,
    edge_width,
    layout,
    node_radius,
    render_svg,
    truncate_label,
)

SVG = "{http://www.w3.org/2000/svg}"

GROUP_NAMES = [
    "Bridgestone",
    "Inditex",
    "H&M",
    "Primark",
    "Siemens",
    "Газпром",
    "Walmart",
    "Toyota",
    "Nestlé",
    "Unilever",
    "Adidas",
    "Koç Holding",
]
ORGANIZATION_NAMES = [
    "IndustriALL Bangladesh Council",
    "DİSK Tekstil",
    "Sindicato dos Metalúrgicos do ABC",
    "Конфедерация труда России",
    "النقابة المستقلة لعمال النسيج",
    "বাংলাদেশ গার্মেন্টস শ্রমিক সংহতি",
    "ver.di Handel",
    "UNITE HERE Local 11",
    "CUT Chile",
    "Kenya Plantation Workers Union",
    "Birleşik Metal-İş",
    "SITRAMAQUILAS",
    "FNV Bondgenoten",
    "Unia",
    "IG Metall Wolfsburg",
    "GMB",
    "SEWA",
    "NTUI",
    "KCTU",
    "COSATU",
]


def network(seed: int = 7) -> tuple[list[Node], list[Edge]]:
    """A dozen groups, twenty organizations in five scripts, each group in a few struggles."""
    rng = random.Random(seed)
    edges = []
    for index in range(len(GROUP_NAMES)):
        for organization in rng.sample(range(len(ORGANIZATION_NAMES)), 1 + index % 5):
            edges.append(Edge(f"group-{index}", f"org-{organization}", rng.randint(1, 12)))
    struggles = {f"group-{index}": 0 for index in range(len(GROUP_NAMES))}
    for edge in edges:
        struggles[edge.source] += 1
    nodes = [
        Node(
            id=f"group-{index}",
            label=name,
            kind="group",
            weight=struggles[f"group-{index}"],
            href=f"/archive/groups/{index}/",
            detail=f"{struggles[f'group-{index}']} struggles",
        )
        for index, name in enumerate(GROUP_NAMES)
    ]
    nodes += [
        Node(id=f"org-{index}", label=name, kind="organization", weight=1 + index % 3)
        for index, name in enumerate(ORGANIZATION_NAMES)
    ]
    return nodes, edges


def random_network(
    groups: int, organizations: int, edges: int, seed: int = 1
) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    nodes = [
        Node(f"g{index}", f"Group {index}", "group", rng.randint(1, 40)) for index in range(groups)
    ]
    nodes += [
        Node(f"o{index}", f"Union {index}", "organization", rng.randint(1, 6))
        for index in range(organizations)
    ]
    links = [
        Edge(f"g{rng.randrange(groups)}", f"o{rng.randrange(organizations)}", rng.randint(1, 9))
        for _ in range(edges)
    ]
    return nodes, links


@dataclass(frozen=True)
class Drawn:
    kind: str
    x: float
    y: float
    radius: float
    footprint: float
    tooltip: str
    href: str | None
    label: ET.Element


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def drawn(svg: str) -> list[Drawn]:
    """Every node drawn, in drawing order."""
    found = []
    for element in parse(svg).iter():
        classes = element.get("class", "").split()
        if "graph-node" not in classes:
            continue
        tooltip = element.findtext(f"{SVG}title") or ""
        label = element.find(f"{SVG}text")
        assert label is not None
        circle = element.find(f"{SVG}circle")
        if circle is not None:
            radius = float(circle.get("r", "0"))
            x, y, footprint = float(circle.get("cx", "0")), float(circle.get("cy", "0")), radius
        else:
            square = element.find(f"{SVG}rect")
            assert square is not None
            half = float(square.get("width", "0")) / 2
            assert float(square.get("height", "0")) / 2 == half
            x, y = float(square.get("x", "0")) + half, float(square.get("y", "0")) + half
            radius, footprint = half, half * math.sqrt(2)
        kind = "group" if "graph-group" in classes else "organization"
        found.append(Drawn(kind, x, y, radius, footprint, tooltip, element.get("href"), label))
    return found


def drawn_nodes(svg: str) -> dict[str, Drawn]:
    """Every node drawn, by the first line of its tooltip."""
    return {node.tooltip.split("\n")[0]: node for node in drawn(svg)}


def overlapping_pairs(nodes: list[Drawn]) -> list[tuple[str, str]]:
    return [
        (first.tooltip, second.tooltip)
        for index, first in enumerate(nodes)
        for second in nodes[index + 1 :]
        # Coordinates are written to a tenth of a unit.
        if math.hypot(first.x - second.x, first.y - second.y)
        < first.footprint + second.footprint - 0.3
    ]


def estimated_half_width(label: ET.Element) -> float:
    return 0.6 * float(label.get("font-size", "0")) * len(label.text or "") / 2


def assert_inside_viewbox(svg: str, width: int, height: int, *, labels: bool = True) -> None:
    for node in drawn(svg):
        name = node.tooltip
        assert node.footprint <= node.x <= width - node.footprint, name
        assert node.footprint <= node.y <= height - node.footprint, name
        if not labels:
            continue
        x, y = float(node.label.get("x", "0")), float(node.label.get("y", "0"))
        half_width = estimated_half_width(node.label)
        assert x - half_width >= 0, name
        assert x + half_width <= width, name
        assert y - 8 >= 0, name
        assert y + 8 <= height, name


class TestMarkup:
    def test_it_renders_one_well_formed_svg_named_by_its_title(self) -> None:
        nodes, edges = network()
        svg = render_svg(nodes, edges, title="Who links our struggles", description="Groups.")
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("viewBox") == "0 0 960 640"
        assert root.get("width") is None
        assert root.get("height") is None
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None
        assert title.text == "Who links our struggles"
        assert desc is not None
        assert desc.text == "Groups."
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 640"')

    def test_it_is_an_image_without_links_and_a_group_of_links_with_them(self) -> None:
        nodes, edges = network()
        assert parse(render_svg(nodes, edges, title="Map")).get("role") == "group"
        unlinked = [Node(n.id, n.label, n.kind, n.weight) for n in nodes]
        assert parse(render_svg(unlinked, edges, title="Map")).get("role") == "img"

    def test_it_uses_no_style_script_or_external_reference(self) -> None:
        nodes, edges = network()
        svg = render_svg(nodes, edges, title="Map", description="All of it.")
        assert "style" not in svg
        assert "<script" not in svg
        assert "xlink" not in svg
        assert "url(" not in svg
        assert "<image" not in svg
        assert "foreignObject" not in svg
        assert re.findall(r"https?:[^\"]*", svg) == ["http://www.w3.org/2000/svg"]

    def test_each_node_is_a_plain_link_with_its_own_tooltip(self) -> None:
        nodes, edges = network()
        by_label = drawn_nodes(render_svg(nodes, edges, title="Map"))
        assert len(by_label) == len(nodes)
        for node in nodes:
            shown = by_label[node.label]
            assert shown.href == node.href
            expected = f"{node.label}\n{node.detail}" if node.detail else node.label
            assert shown.tooltip == expected
        links = [e for e in parse(render_svg(nodes, edges, title="Map")).iter(f"{SVG}a")]
        assert len(links) == len(GROUP_NAMES)

    def test_groups_and_organizations_differ_in_shape_not_only_colour(self) -> None:
        nodes, edges = network()
        root = parse(render_svg(nodes, edges, title="Map"))
        assert len(root.findall(f".//{SVG}circle")) == len(GROUP_NAMES)
        squares = root.findall(f".//{SVG}rect")
        assert len(squares) == len(ORGANIZATION_NAMES)
        assert all(float(square.get("rx", "0")) > 0 for square in squares)

    def test_it_escapes_every_text_and_attribute(self) -> None:
        nasty = '<b>Tom & "Jerry\'s"</b>'
        nodes = [
            Node("g", nasty, "group", 3, href="/archive/?a=1&b=<2>", detail="<i>&</i>"),
            Node("o", "O'Brien & Sons <Ltd>", "organization", 1),
        ]
        svg = render_svg(nodes, [Edge("g", "o")], title=nasty, description=nasty)
        for markup in ("<b>", "<i>", "<Ltd>"):
            assert markup not in svg
        root = parse(svg)
        assert root.findtext(f"{SVG}title") == nasty
        assert root.findtext(f"{SVG}desc") == nasty
        by_label = drawn_nodes(svg)
        assert by_label[nasty].tooltip == f"{nasty}\n<i>&</i>"
        assert by_label[nasty].label.text == nasty
        assert by_label[nasty].href == "/archive/?a=1&b=<2>"
        assert by_label["O'Brien & Sons <Ltd>"].label.text == "O'Brien & Sons <Ltd>"

    def test_characters_xml_cannot_carry_are_dropped(self) -> None:
        nodes = [Node("g", "Acme\x00\x1b\ud800\ufffe Ltd", "group", 1, detail="\x07")]
        svg = render_svg(nodes, [], title="Map\x0c")
        assert drawn_nodes(svg)["Acme Ltd"].label.text == "Acme Ltd"
        assert parse(svg).findtext(f"{SVG}title") == "Map"

    @pytest.mark.parametrize(
        "href",
        [
            "https://example.org/",
            "http://example.org/",
            "//example.org/",
            "/\\example.org/",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " /archive/",
            "java\tscript:alert(1)",
            "data:text/html,<b>",
            "",
        ],
    )
    def test_only_links_within_the_site_are_kept(self, href: str) -> None:
        nodes = [
            Node("kept", "Kept", "group", 1, href="/archive/groups/1/#top"),
            Node("dropped", "Dropped", "group", 1, href=href),
        ]
        by_label = drawn_nodes(render_svg(nodes, [], title="Map"))
        assert by_label["Kept"].href == "/archive/groups/1/#top"
        assert by_label["Dropped"].href is None

    def test_empty_input_renders_a_small_svg_with_its_title(self) -> None:
        svg = render_svg([], [], title="Nothing <yet>")
        root = parse(svg)
        assert root.findtext(f"{SVG}title") == "Nothing <yet>"
        assert root.get("role") == "img"
        assert drawn_nodes(svg) == {}
        assert len(svg) < 500
        assert layout([], [], width=960, height=640) == {}

    def test_titles_ids_differ_between_maps_and_not_between_renderings(self) -> None:
        nodes, edges = network()
        first = parse(render_svg(nodes, edges, title="Map")).get("aria-labelledby")
        again = parse(render_svg(nodes, edges, title="Map")).get("aria-labelledby")
        other = parse(render_svg(nodes[:-1], edges, title="Map")).get("aria-labelledby")
        assert first == again
        assert first != other


class TestDeterminism:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_shuffled_input_draws_the_same_bytes(self, seed: int) -> None:
        nodes, edges = network()
        expected = render_svg(nodes, edges, title="Map", description="d")
        rng = random.Random(seed)
        shuffled_nodes, shuffled_edges = nodes[:], edges[:]
        rng.shuffle(shuffled_nodes)
        rng.shuffle(shuffled_edges)
        assert render_svg(shuffled_nodes, shuffled_edges, title="Map", description="d") == expected

    def test_an_edge_drawn_either_way_round_is_the_same_edge(self) -> None:
        nodes, edges = network()
        flipped = [Edge(edge.target, edge.source, edge.weight) for edge in edges]
        assert render_svg(nodes, flipped, title="Map") == render_svg(nodes, edges, title="Map")

    def test_layout_is_repeatable(self) -> None:
        nodes, edges = random_network(40, 60, 300)
        first = layout(nodes, edges, width=960, height=640)
        assert layout(nodes[::-1], edges[::-1], width=960, height=640) == first


class TestLayout:
    @pytest.mark.parametrize(("width", "height"), [(960, 640), (640, 960), (360, 480), (300, 300)])
    def test_every_node_and_label_lies_inside_the_viewbox(self, width: int, height: int) -> None:
        nodes, edges = network()
        long = Node("long", "Confederación Sindical de Trabajadores y Trabajadoras", "group", 9)
        svg = render_svg([*nodes, long], edges, title="Map", width=width, height=height)
        assert_inside_viewbox(svg, width, height)

    def test_organizations_sit_evenly_on_a_ring_around_the_centre(self) -> None:
        nodes, edges = network()
        by_label = drawn_nodes(render_svg(nodes, edges, title="Map"))
        ring = [node for node in by_label.values() if node.kind == "organization"]
        distances = [math.hypot(node.x - 480, node.y - 320) for node in ring]
        assert max(distances) - min(distances) < 0.3
        angles = sorted(math.atan2(node.y - 320, node.x - 480) for node in ring)
        steps = [b - a for a, b in zip(angles, [*angles[1:], angles[0] + 2 * math.pi], strict=True)]
        assert max(steps) - min(steps) < 0.01
        assert min(steps) == pytest.approx(2 * math.pi / len(ring), abs=0.01)

    def test_groups_sit_inside_the_ring(self) -> None:
        nodes, edges = network()
        by_label = drawn_nodes(render_svg(nodes, edges, title="Map"))
        ring = min(
            math.hypot(node.x - 480, node.y - 320) - node.footprint
            for node in by_label.values()
            if node.kind == "organization"
        )
        for node in by_label.values():
            if node.kind == "group":
                assert math.hypot(node.x - 480, node.y - 320) + node.footprint < ring

    def test_a_group_sits_near_the_organizations_it_links(self) -> None:
        organizations = [Node(f"o{i}", f"Union {i}", "organization", 1) for i in range(12)]
        groups = [
            Node("g0", "Near the first", "group", 2),
            Node("g6", "Near the seventh", "group", 2),
        ]
        edges = [Edge("g0", "o0"), Edge("g0", "o1"), Edge("g6", "o6"), Edge("g6", "o7")]
        positions = layout([*organizations, *groups], edges, width=960, height=640)

        def distance(a: str, b: str) -> float:
            return math.dist(positions[a], positions[b])

        assert distance("g0", "o0") < distance("g0", "o6")
        assert distance("g6", "o6") < distance("g6", "o0")

    def test_no_two_nodes_overlap_in_a_moderate_map(self) -> None:
        nodes, edges = network()
        assert overlapping_pairs(drawn(render_svg(nodes, edges, title="Map"))) == []
        nodes, edges = random_network(40, 60, 300)
        assert overlapping_pairs(drawn(render_svg(nodes, edges, title="Map"))) == []

    def test_many_groups_on_one_organization_do_not_pile_up(self) -> None:
        nodes = [Node("o", "Union", "organization", 1)]
        nodes += [Node(f"g{i}", f"Group {i}", "group", 1 + i % 7) for i in range(30)]
        edges = [Edge(f"g{i}", "o", 1) for i in range(30)]
        svg = render_svg(nodes, edges, title="Map")
        assert overlapping_pairs(drawn(svg)) == []
        assert_inside_viewbox(svg, 960, 640)

    def test_it_lays_out_300_nodes_and_2000_edges(self) -> None:
        nodes, edges = random_network(100, 200, 2000)
        svg = render_svg(nodes, edges, title="Map")
        nodes_drawn = drawn(svg)
        assert len(nodes_drawn) == 300
        assert overlapping_pairs(nodes_drawn) == []
        assert_inside_viewbox(svg, 960, 640)

    def test_the_layout_agrees_with_the_drawing(self) -> None:
        nodes, edges = network()
        positions = layout(nodes, edges, width=960, height=640)
        by_label = drawn_nodes(render_svg(nodes, edges, title="Map"))
        for node in nodes:
            assert (
                math.dist(positions[node.id], (by_label[node.label].x, by_label[node.label].y))
                < 0.2
            )

    def test_a_viewbox_without_area_is_refused(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            layout([], [], width=0, height=640)


class TestSizes:
    def test_area_grows_with_weight(self) -> None:
        nodes = [Node(f"g{w}", f"Group {w}", "group", w) for w in (1, 2, 3, 5, 8, 13, 21)]
        nodes += [Node(f"o{w}", f"Union {w}", "organization", w) for w in (1, 2, 4)]
        by_label = drawn_nodes(render_svg(nodes, [], title="Map"))
        groups = [by_label[f"Group {w}"].radius for w in (1, 2, 3, 5, 8, 13, 21)]
        assert groups == sorted(groups)
        assert len(set(groups)) == len(groups)
        organizations = [by_label[f"Union {w}"].radius for w in (1, 2, 4)]
        assert organizations == sorted(organizations)
        assert len(set(organizations)) == 3
        assert groups[3] ** 2 / groups[0] ** 2 == pytest.approx(5, rel=0.05)

    def test_radius_keeps_area_proportional_between_a_minimum_and_a_maximum(self) -> None:
        assert node_radius(1, heaviest=1) == MAX_RADIUS
        assert node_radius(1, heaviest=4) == pytest.approx(MAX_RADIUS / 2)
        assert node_radius(500, heaviest=500) == MAX_RADIUS
        assert node_radius(125, heaviest=500) == pytest.approx(MAX_RADIUS / 2)
        assert node_radius(1, heaviest=500) == MIN_RADIUS

    def test_edge_width_grows_with_evidence(self) -> None:
        nodes = [Node("o", "Union", "organization", 1)]
        nodes += [Node(f"g{w}", f"Group {w}", "group", 1) for w in (1, 2, 4, 8)]
        edges = [Edge(f"g{w}", "o", w) for w in (1, 2, 4, 8)]
        positions = layout(nodes, edges, width=960, height=640)
        lines = parse(render_svg(nodes, edges, title="Map")).findall(f".//{SVG}line")
        widths = {}
        for line in lines:
            ends = {
                (float(line.get("x1", "0")), float(line.get("y1", "0"))),
                (float(line.get("x2", "0")), float(line.get("y2", "0"))),
            }
            for w in (1, 2, 4, 8):
                x, y = positions[f"g{w}"]
                if any(math.dist((x, y), end) < 0.2 for end in ends):
                    widths[w] = float(line.get("stroke-width", "0"))
        assert [widths[w] for w in (1, 2, 4, 8)] == sorted(widths.values())
        assert len(set(widths.values())) == 4
        assert edge_width(1_000_000) == edge_width(2_000_000)


class TestEdges:
    def test_edges_to_unknown_nodes_and_loops_are_ignored(self) -> None:
        nodes = [Node("g", "Group", "group", 1), Node("o", "Union", "organization", 1)]
        edges = [Edge("g", "o"), Edge("g", "nowhere"), Edge("ghost", "o"), Edge("g", "g")]
        lines = parse(render_svg(nodes, edges, title="Map")).findall(f".//{SVG}line")
        assert len(lines) == 1

    def test_edges_between_the_same_nodes_are_merged(self) -> None:
        nodes = [Node("g", "Group", "group", 1), Node("o", "Union", "organization", 1)]
        twice = render_svg(nodes, [Edge("g", "o", 2), Edge("o", "g", 3)], title="Map")
        once = render_svg(nodes, [Edge("g", "o", 5)], title="Map")
        assert len(parse(twice).findall(f".//{SVG}line")) == 1
        assert twice.split("</desc>")[1] == once.split("</desc>")[1]


class TestLabels:
    def test_long_labels_are_cut_with_an_ellipsis(self) -> None:
        label = "Confederación Sindical de Trabajadores y Trabajadoras de las Américas"
        nodes = [Node("g", label, "group", 1)]
        shown = drawn_nodes(render_svg(nodes, [], title="Map"))[label]
        text = shown.label.text or ""
        assert text.endswith(ELLIPSIS)
        assert len(text) <= LABEL_MAX_CHARACTERS
        assert label.startswith(text[:-1])
        assert shown.tooltip == label
        assert truncate_label("Short name") == "Short name"
        assert truncate_label("x" * LABEL_MAX_CHARACTERS) == "x" * LABEL_MAX_CHARACTERS

    @pytest.mark.parametrize(
        "label",
        [
            "e\u0301" * 40,
            "ক্ষ" * 30,
            "শ্রমিক সংহতি " * 5,
            "👩\u200d👩\u200d👧" * 30,
            "🇧🇩🇹🇷" * 20,
            "\U0001d11e" * 40,
            "a\u0308\u0323" * 30,
        ],
    )
    def test_cutting_never_splits_a_character(self, label: str) -> None:
        text = truncate_label(label)
        kept = text[: -len(ELLIPSIS)]
        assert text.endswith(ELLIPSIS)
        assert label.startswith(kept)
        following = label[len(kept)]
        assert not unicodedata.category(following).startswith("M")
        assert following != "\u200d"
        assert not kept.endswith(("\u200d", "\u09cd", " "))
        if label.startswith("🇧"):
            assert len(kept) % 2 == 0

    def test_arabic_labels_stay_in_logical_order_for_the_browser_to_reorder(self) -> None:
        label = "النقابة المستقلة لعمال النسيج والملابس الجاهزة"
        nodes = [Node("o", label, "organization", 1), Node("g", "Koç Holding", "group", 1)]
        by_label = drawn_nodes(render_svg(nodes, [], title="Map"))
        text = by_label[label].label.text or ""
        assert label.startswith(text[:-1])
        assert by_label[label].label.get("direction") == "rtl"
        assert by_label["Koç Holding"].label.get("direction") is None

    def test_labels_are_centred_on_their_anchor(self) -> None:
        nodes, edges = network()
        for node in drawn_nodes(render_svg(nodes, edges, title="Map")).values():
            assert node.label.get("text-anchor") == "middle"


class TestValidation:
    def test_a_node_must_be_a_group_or_an_organization(self) -> None:
        with pytest.raises(ValueError, match="kind"):
            Node("x", "X", "person", 1)

    def test_weights_start_at_one(self) -> None:
        with pytest.raises(ValueError, match="weight"):
            Node("x", "X", "group", 0)
        with pytest.raises(ValueError, match="weight"):
            Edge("a", "b", 0)

    def test_node_ids_must_be_unique(self) -> None:
        nodes = [Node("x", "X", "group", 1), Node("x", "Y", "organization", 1)]
        with pytest.raises(ValueError, match="unique"):
            render_svg(nodes, [], title="Map")


names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[Node], list[Edge]]:
    group_count = draw(st.integers(0, 25))
    organization_count = draw(st.integers(0, 40))
    nodes = [
        Node(f"g{i}", draw(names), "group", draw(st.integers(1, 80)), href=f"/g/{i}/")
        for i in range(group_count)
    ]
    nodes += [
        Node(f"o{i}", draw(names), "organization", draw(st.integers(1, 10)))
        for i in range(organization_count)
    ]
    ids = [node.id for node in nodes] + ["missing"]
    edges = draw(
        st.lists(
            st.builds(Edge, st.sampled_from(ids), st.sampled_from(ids), st.integers(1, 50)),
            max_size=120,
        )
    )
    return nodes, edges


@settings(max_examples=40, deadline=None)
@given(networks(), st.sampled_from([(960, 640), (360, 640), (500, 500)]))
def test_any_map_is_well_formed_inside_its_viewbox_and_free_of_overlaps(
    graph: tuple[list[Node], list[Edge]], size: tuple[int, int]
) -> None:
    nodes, edges = graph
    width, height = size
    svg = render_svg(nodes, edges, title="Map", width=width, height=height)
    root = parse(svg)
    shapes = root.findall(f".//{SVG}circle") + root.findall(f".//{SVG}rect")
    assert len(shapes) == len(nodes)
    positions = layout(nodes, edges, width=width, height=height)
    for node in nodes:
        x, y = positions[node.id]
        assert 0 <= x <= width
        assert 0 <= y <= height
    assert overlapping_pairs(drawn(svg)) == []
    assert_inside_viewbox(svg, width, height, labels=False)
    assert "style" not in svg
    assert "<script" not in svg
