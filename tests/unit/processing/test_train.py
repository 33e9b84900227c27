"""The learned field choice: the model file loads, uses only the rankers that won cross-validation,
ranks a known document correctly, and the hand weights are the same scores as vectors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoice_app.processing.extraction import train, weights
from invoice_app.processing.extraction.candidates import Candidate, best
from invoice_app.processing.extraction.weights import (
    AMOUNT_FEATURES,
    MODEL_PATH,
    SINGLE_FEATURES,
    AmountFeatures,
    amount_vector,
    hand_amount_coefficients,
    hand_score_amounts,
    learned,
)
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.types import Document
from tests.helpers.samples import FIXTURES_DIR, fixture_json


@pytest.fixture(autouse=True)
def _fresh_model() -> Iterator[None]:
    learned.cache_clear()
    yield
    learned.cache_clear()


def test_the_model_loads_and_uses_only_the_rankers_that_beat_the_hand_weights() -> None:
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert model["rankers"], "the model has rankers"
    for name, entry in model["rankers"].items():
        features = AMOUNT_FEATURES if name == "amounts" else SINGLE_FEATURES
        assert tuple(entry["features"]) == features
        cv = entry["cv"]
        right = {m: sum(t[0] for t in cv[m].values()) for m in ("hand", "learned")}
        never_worse = all(t["learned"][0] >= t["hand"][0] for t in entry["heldOutSets"].values())
        # Kept only where it generalised better: across folds, and on no held-out set worse.
        assert entry["use"] == (right["learned"] > right["hand"] and never_worse)
        assert (learned(name) is not None) == entry["use"]


def test_the_learned_vendor_ranker_ranks_a_known_document_correctly() -> None:
    if learned("vendorName") is None:
        pytest.skip("the model keeps the hand weights for vendor names")
    pdf = FIXTURES_DIR / "zugferd_2p0_BASIC_Einfach.pdf"
    truth = fixture_json("zugferd_2p0_BASIC_Einfach.json")
    processor = DocumentProcessor("tesseract")
    detection = processor.detect(
        Document(data=pdf.read_bytes(), media_type="application/pdf", filename=pdf.name)
    )
    s = train.sample(pdf.name, detection, truth, set(truth))
    assert train.field_hits(s, "vendorName", learned("vendorName")) == {"vendorName": True}
    assert processor.finish(detection).fields["vendorName"].value == truth["vendorName"]


def test_the_learned_vendor_ranker_prefers_the_header() -> None:
    if learned("vendorName") is None:
        pytest.skip("the model keeps the hand weights for vendor names")
    header = Candidate("ABC TRADING SDN BHD", 0.5, 0, "ABC TRADING SDN BHD")
    footer = Candidate("Payment Services Ltd", 0.55, 60, "Payment Services Ltd")
    assert best([header, footer], ranker="vendorName") is header
    assert best([header, footer]) is footer  # the hand weights go by weight alone


@pytest.mark.parametrize("seed", range(20))
def test_the_hand_coefficients_are_the_hand_score(seed: int) -> None:
    import random

    r = random.Random(seed)
    f = AmountFeatures(
        total=r.random(),
        subtotal=r.choice([None, r.random()]),
        tax=r.choice([None, r.random()]),
        largest=r.random() < 0.5,
        spread=r.choice([None, r.randrange(0, 300)]),
        consistent=r.random() < 0.5,
        tendered=r.random() < 0.5,
    )
    dot = sum(a * b for a, b in zip(amount_vector(f), hand_amount_coefficients(), strict=True))
    assert dot == pytest.approx(hand_score_amounts(f))


def test_fit_learns_the_feature_that_marks_the_right_option() -> None:
    # The second feature marks the right option; the first is noise that the start prefers.
    groups = [
        ([(1.0, 0.0), (0.2, 1.0), (0.6, 0.0)], [False, True, False]),
        ([(0.9, 0.0), (0.1, 1.0)], [False, True]),
        ([(0.3, 1.0), (0.8, 0.0)], [True, False]),
    ]
    theta = train.fit(groups, (1.0, 0.0), l2=0.01, steps=300)
    for x, y in groups:
        assert y[train._top(x, theta)]


def test_a_missing_or_broken_model_means_hand_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weights, "MODEL_PATH", tmp_path / "absent.json")
    assert learned("vendorName") is None
    learned.cache_clear()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(weights, "MODEL_PATH", broken)
    assert learned("vendorName") is None
    learned.cache_clear()
    other = tmp_path / "other.json"
    entry = {"use": True, "features": ["weight"], "coefficients": [1.0]}
    other.write_text(json.dumps({"rankers": {"vendorName": entry}}), encoding="utf-8")
    monkeypatch.setattr(weights, "MODEL_PATH", other)
    assert learned("vendorName") is None  # features it does not compute: not used
