"""A saved visualization: one typed object, its API shape and its stored item.

Stored in `VisualizationsTable` as `pk = viz#<id>`, `sk = meta`; its parameter history lives in
the same partition (`sk = h#…`, see store.py). `sharedKey` is set only on shared ones, so the
`byShared` index holds nothing else (a sparse index); `ownerId` keys `byOwner`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PK_PREFIX = "viz#"
META = "meta"
SHARED_KEY = "shared"
TYPES = ("normal", "histogram", "series", "scatter")


def pk_of(viz_id: str) -> str:
    return f"{PK_PREFIX}{viz_id}"


@dataclass(frozen=True)
class Visualization:
    id: str
    name: str
    type: str
    parameters: dict[str, Any]
    owner_id: str
    owner: dict[str, str]  # {sub, email}
    shared: bool
    version: int
    created_at: int  # epoch ms
    updated_at: int  # epoch ms

    def visible_to(self, sub: str) -> bool:
        """A private visualization is its owner's alone (an admin neither: it is private)."""
        return self.shared or self.owner_id == sub

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "parameters": self.parameters,
            "ownerId": self.owner_id,
            "owner": self.owner,
            "shared": self.shared,
            "version": self.version,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        }

    def to_record(self) -> dict[str, Any]:
        """The plain item stored (before `to_item`), with the table's and the indexes' keys."""
        record = {"pk": pk_of(self.id), "sk": META, **self.to_api()}
        if self.shared:
            record["sharedKey"] = SHARED_KEY
        return record

    @classmethod
    def from_record(cls, plain: dict[str, Any]) -> Visualization:
        owner = plain.get("owner") if isinstance(plain.get("owner"), dict) else {}
        return cls(
            id=str(plain["id"]),
            name=str(plain.get("name", "")),
            type=str(plain.get("type", "")),
            parameters=dict(plain.get("parameters") or {}),
            owner_id=str(plain.get("ownerId", "")),
            owner={
                "sub": str(owner.get("sub", plain.get("ownerId", ""))),
                "email": str(owner.get("email", "")),
            },
            shared=bool(plain.get("shared", False)),
            version=int(plain.get("version", 1)),
            created_at=int(plain.get("createdAt", 0)),
            updated_at=int(plain.get("updatedAt", plain.get("createdAt", 0))),
        )
