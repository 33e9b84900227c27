"""A candidate value for a field, and the choice among the candidates of one field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .weights import SingleFeatures, score_single


@dataclass(frozen=True)
class Candidate:
    value: str | float
    weight: float
    line: int  # the line it was read from; -1 for an engine field
    raw: str = ""  # the text it was read from (its OCR confidence is looked up by it)
    consistent: bool = False  # an amount of a triple that adds up


def single_features(candidate: Candidate, candidates: Sequence[Candidate]) -> SingleFeatures:
    same_value = sum_weights(c for c in candidates if c.value == candidate.value)
    return SingleFeatures(candidate.weight, same_value - candidate.weight, candidate.line)


def sum_weights(candidates: Iterable[Candidate]) -> float:
    total = 0.0
    for c in candidates:  # in order, from 0.0: the same float as a running sum
        total += c.weight
    return total


def best(candidates: Sequence[Candidate], ranker: str | None = None) -> Candidate | None:
    """The candidate with the best score (by the field's trained ranker if any); the first of equals."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: score_single(single_features(c, candidates), ranker=ranker))
