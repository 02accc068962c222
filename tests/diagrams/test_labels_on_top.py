"""The edges' labels moved last in the SVG (drawn over every line), on Graphviz's line layout."""

from __future__ import annotations

from journeymaps.diagrams import labels_on_top

#: Graphviz's SVG as it writes it, one element a line: a labelled edge, an edge with none,
#: a linked edge whose label stays inside its link, and a node.
SVG = b"""<svg>
<g id="graph0" class="graph">
<title>g</title>
<!-- a&#45;&gt;b -->
<g id="handoff-a-b" class="edge">
<title>a&#45;&gt;b</title>
<path d="M1,1"/>
<text x="1">handoff, SLA 1bd</text>
<text x="1">context lost</text>
</g>
<g id="g_edge2" class="edge">
<title>b&#45;&gt;c</title>
<path d="M2,2"/>
</g>
<g id="g_edge3" class="edge">
<title>c&#45;&gt;d</title>
<g id="a_g_edge3"><a xlink:href="../maps/m.html#c">
<path d="M3,3"/>
<text x="3">linked label</text>
</a>
</g>
</g>
<g id="node1" class="node">
<title>b</title>
<text x="4">a node's text</text>
</g>
</g>
</svg>
"""


def test_an_edges_label_is_drawn_last_in_a_group_of_its_own() -> None:
    lines = labels_on_top(SVG).split(b"\n")
    assert lines[-7:] == [
        b'<g id="handoff-a-b-label" class="edge-label">',
        b'<text x="1">handoff, SLA 1bd</text>',
        b'<text x="1">context lost</text>',
        b"</g>",
        b"</g>",  # the graph's own group closes after it
        b"</svg>",
        b"",
    ]
    moved = labels_on_top(SVG)
    assert moved.count(b"handoff, SLA 1bd") == 1
    assert moved.index(b"handoff, SLA 1bd") > moved.index(b"a node's text")
    # Everything else is where it was, the edge's group without its label.
    assert moved.replace(
        b'<g id="handoff-a-b-label" class="edge-label">\n<text x="1">handoff, SLA 1bd</text>\n'
        b'<text x="1">context lost</text>\n</g>\n',
        b"",
    ) == SVG.replace(b'<text x="1">handoff, SLA 1bd</text>\n<text x="1">context lost</text>\n', b"")


def test_a_label_inside_a_link_stays_with_its_link() -> None:
    moved = labels_on_top(SVG)
    assert b'<path d="M3,3"/>\n<text x="3">linked label</text>\n</a>' in moved
    assert b"g_edge3-label" not in moved


def test_a_diagram_without_edge_labels_is_unchanged() -> None:
    plain = SVG.replace(b'<text x="1">handoff, SLA 1bd</text>\n<text x="1">context lost</text>\n', b"")
    assert labels_on_top(plain) == plain


def test_only_a_line_that_opens_an_edges_group_starts_one() -> None:
    # An edge's id written inside a text (a title quoting it) opens nothing.
    tricky = SVG.replace(b"<title>g</title>", b'<title>x <g id="t" class="edge"</title>')
    assert labels_on_top(tricky).count(b'class="edge-label"') == 1
