"""What a visualization may hold: its name, its type and each type's parameters, all bounded.

Every problem is a 400 naming the parameter (`InvalidParameter`), raised before anything is
written. Answers always carry the full parameter set: what a request leaves out gets its default,
and `null` resets an optional parameter (`mean`, `stdDev`, `target`, `topN`: absent again).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import BadRequest
from .model import TYPES

MAX_NAME = 120
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
WEEK_MS = 7 * DAY_MS
MAX_RANGE_DAYS = 92
MAX_BUCKETS = 1_000
DEFAULT_TOP_N = 5
MAX_TOP_N = 20
MAX_COORDINATE = 1e12  # |a number parameter| and a cursor coordinate
MAX_EPOCH_MS = 2**53 - 1

NUMERIC_MEASURES = ("latency", "total", "accuracy", "measuredAccuracy", "pages")
NORMAL_MEASURES = ("latency", "total", "accuracy")
SERIES_MEASURES = ("count", "spend", "latency", "measuredAccuracy")
INTERVALS = {"hour": HOUR_MS, "day": DAY_MS, "week": WEEK_MS}
STATUSES = ("needs-review", "approved", "rejected")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_CURRENCY = re.compile(r"[A-Z]{3}")


class InvalidParameter(BadRequest):
    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"parameter {name!r}: {why}")
        self.parameter = name


# -- single values ------------------------------------------------------------------------------


def _number(name: str, value: Any, *, low: float = -MAX_COORDINATE, high: float = MAX_COORDINATE) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidParameter(name, "must be a finite number")
    if not low <= value <= high:
        raise InvalidParameter(name, f"must be between {low:g} and {high:g}")
    return float(value) if isinstance(value, float) else value


def _positive(name: str, value: Any, high: float) -> float:
    number = _number(name, value, low=-high, high=high)
    if number <= 0:
        raise InvalidParameter(name, "must be greater than 0")
    return number


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameter(name, "must be a whole number")
    if not low <= value <= high:
        raise InvalidParameter(name, f"must be from {low} to {high}")
    return value


def _choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise InvalidParameter(name, f"must be one of {', '.join(options)}")
    return value


def _filters(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidParameter(name, "must be an object with vendor, currency and/or status")
    unknown = sorted(set(value) - {"vendor", "currency", "status"})
    if unknown:
        raise InvalidParameter(f"{name}.{unknown[0]}", "is not a filter (vendor, currency, status)")
    out: dict[str, str] = {}
    vendor = value.get("vendor")
    if vendor is not None:
        if not isinstance(vendor, str) or not vendor.strip() or len(vendor) > 200 or _CONTROL.search(vendor):
            raise InvalidParameter(f"{name}.vendor", "must be a vendor name (1-200 characters)")
        out["vendor"] = vendor.strip()
    currency = value.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
            raise InvalidParameter(f"{name}.currency", "must be an ISO 4217 code such as EUR")
        out["currency"] = currency
    if value.get("status") is not None:
        out["status"] = _choice(f"{name}.status", value["status"], STATUSES)
    return out


def _epoch(name: str, value: Any) -> int:
    return _whole(name, value, 0, MAX_EPOCH_MS)


# -- the types ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    check: Callable[[str, Any], Any]
    default: Callable[[int], Any] | None  # None: optional, absent unless given

    @property
    def optional(self) -> bool:
        return self.default is None


def _const(value: Any) -> Callable[[int], Any]:
    return lambda _now: value


def _today_end(now_ms: int) -> int:
    return (now_ms // DAY_MS + 1) * DAY_MS


_DAYS = Param(lambda n, v: _whole(n, v, 1, MAX_RANGE_DAYS), _const(30))
_BINS = Param(lambda n, v: _whole(n, v, 5, 100), _const(30))

SPECS: dict[str, dict[str, Param]] = {
    "normal": {
        "measure": Param(lambda n, v: _choice(n, v, NORMAL_MEASURES), _const("latency")),
        "mean": Param(_number, None),
        "stdDev": Param(lambda n, v: _positive(n, v, MAX_COORDINATE), None),
        "k": Param(lambda n, v: _positive(n, v, 10), _const(2)),
        "target": Param(_number, None),
        "bins": _BINS,
        "days": _DAYS,
    },
    "histogram": {
        "measure": Param(lambda n, v: _choice(n, v, NUMERIC_MEASURES), _const("latency")),
        "bins": Param(lambda n, v: _whole(n, v, 5, 100), _const(20)),
        "days": _DAYS,
        "filters": Param(_filters, _const({})),
    },
    "series": {
        "measure": Param(lambda n, v: _choice(n, v, SERIES_MEASURES), _const("count")),
        "interval": Param(lambda n, v: _choice(n, v, tuple(INTERVALS)), _const("day")),
        "from": Param(_epoch, lambda now: _today_end(now) - 7 * DAY_MS),
        "to": Param(_epoch, _today_end),
        "split": Param(lambda n, v: _choice(n, v, ("none", "vendor")), _const("none")),
        "topN": Param(lambda n, v: _whole(n, v, 1, MAX_TOP_N), None),
    },
    "scatter": {
        "x": Param(lambda n, v: _choice(n, v, NUMERIC_MEASURES), _const("pages")),
        "y": Param(lambda n, v: _choice(n, v, NUMERIC_MEASURES), _const("latency")),
        "days": _DAYS,
    },
}


def check_type(value: Any) -> str:
    if not isinstance(value, str) or value not in TYPES:
        raise BadRequest(f"type must be one of {', '.join(TYPES)}")
    return value


def check_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("name must be a non-empty string")
    name = value.strip()
    if len(name) > MAX_NAME:
        raise BadRequest(f"name must be at most {MAX_NAME} characters")
    if _CONTROL.search(name):
        raise BadRequest("name must not contain control characters")
    return name


def _cross_checks(kind: str, params: dict[str, Any]) -> None:
    if kind != "series":
        return
    start, end = params["from"], params["to"]
    if end <= start:
        raise InvalidParameter("to", "must be after from")
    if end - start > MAX_RANGE_DAYS * DAY_MS:
        raise InvalidParameter("to", f"the range from-to is at most {MAX_RANGE_DAYS} days")
    step = INTERVALS[params["interval"]]
    buckets = math.ceil((end - start) / step) + (1 if params["interval"] == "week" else 0)
    if buckets > MAX_BUCKETS:
        raise InvalidParameter(
            "interval", f"{params['interval']} over this range is {buckets} buckets; at most {MAX_BUCKETS}"
        )


def merge(kind: str, current: dict[str, Any], changes: Any, *, now_ms: int) -> dict[str, Any]:
    """`current` with `changes` applied (None resets an optional parameter), defaults filled in,
    every value checked. Unknown names and bad values are `InvalidParameter`."""
    if not isinstance(changes, dict):
        raise BadRequest("parameters must be an object")
    spec = SPECS[kind]
    unknown = sorted(set(changes) - set(spec))
    if unknown:
        raise InvalidParameter(unknown[0], f"is not a parameter of {kind} ({', '.join(spec)})")
    out: dict[str, Any] = {}
    for name, param in spec.items():
        if name in changes:
            value = changes[name]
            if value is None:
                if not param.optional:
                    raise InvalidParameter(name, "cannot be null (it has no unset state)")
                continue
        elif name in current:
            value = current[name]
        elif param.default is not None:
            value = param.default(now_ms)
        else:
            continue
        out[name] = param.check(name, value)
    _cross_checks(kind, out)
    return out


def parameter_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(parameter, old, new) for each parameter whose value differs (absent = None)."""
    return [
        (name, old.get(name), new.get(name))
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]


def check_coordinate(name: str, value: Any) -> float:
    """A cursor coordinate: a finite number within ±1e12."""
    return _number(name, value)
