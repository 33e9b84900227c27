"""The folded and compact views labels are matched on, and the label index that keeps that fast."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from invoice_app.processing.extraction import labels
from invoice_app.processing.extraction.labels import LABELS, LabelHit, find_labels
from invoice_app.processing.extraction.text import Compact, fold, word_end, word_start


def test_fold_drops_case_and_accents() -> None:
    assert fold("Verkäufer") == "verkaufer"
    assert fold("Straße") == "strasse"
    assert fold("N° FACTURE") == "n° facture"
    assert fold("Invoice No.") == "invoice no."


def test_compact_maps_back_to_the_original_through_spaces_and_expansions() -> None:
    compact = Compact("Groß  Straße 1")
    assert compact.text == "grossstrasse1"
    # "ss" from "ß" points both letters at the one original character.
    assert [compact.start(k) for k in range(5)] == [0, 1, 2, 3, 3]
    assert compact.original[compact.start(5) : compact.end(9)] == "Stra"
    assert compact.start(len(compact.text)) == len(compact.original)


def _every_label(text: str) -> list[LabelHit]:
    """find_labels without its index: every pattern searched on the line."""
    compact = Compact(text)
    hits = []
    for label in LABELS:
        for m in label.pattern.finditer(compact.text):
            if m.end() == m.start():
                continue
            start = compact.start(m.start())
            if not (label.infix or word_start(text, start)):
                continue
            # A greedy match that runs into the next word counts at its longest shorter end of a word.
            ends = [
                compact.end(stop)
                for stop in range(m.end(), m.start(), -1)
                if label.pattern.fullmatch(compact.text, m.start(), stop)
                and word_end(text, compact.end(stop))
            ]
            if ends:
                hits.append(LabelHit(label, start, ends[0]))
    kept: list[LabelHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), -h.weight, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


LINES = [
    "Invoice No.: INV-2019/0042",
    "Rechnungs-Nr. 4711   Rechnungsdatum 12.01.2019",
    "Sub Total 12.00   GST 6% 0.72   Total Incl. GST 12.72",
    "CASH TENDERED 50.00 CHANGE 37.28 ROUNDING ADJ -0.02",
    "N° de facture : F-2022-0027  Échéance : 30/01/2022",
    "Bill No: 12345 Tarikh: 05/03/2018",
    "TOTAL TTC 119,00 € dont TVA 19,00 €",
    "Zahlbar bis 14.02.2019 ohne Abzug   USt-IdNr. DE123456789",
    "Owned and operated by URBAN IDEA SDN BHD (123456-X)",
]


def test_the_index_finds_what_searching_every_label_finds() -> None:
    for line in LINES:
        assert find_labels(line) == _every_label(line), line


# Words of the label tables themselves, so generated lines are dense with near-labels.
_WORDS = sorted({w for label in LABELS for w in label.prefix.split() if w} | {"no.", "#", "tax", "due"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), min_size=1, max_size=6))
def test_the_index_never_misses_a_label(words: list[str]) -> None:
    line = " ".join(words)
    assert find_labels(line) == _every_label(line)


def test_every_unprefixed_label_is_in_the_line_prefilter() -> None:
    assert len(labels._ALWAYS) == sum(len(label.prefix) < 2 for label in LABELS)
    for i in labels._ALWAYS:
        assert labels._ANY_ALWAYS.pattern.count(LABELS[i].pattern.pattern) >= 1
