"""The roles of the app, in order: each one may do everything the ones before it may."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Role(enum.IntEnum):
    VIEWER = 1  # read invoices and metrics, watch the widget
    REVIEWER = 2  # + upload, correct fields, approve/reject
    ADMIN = 3  # + delete invoices, see every user's history

    @property
    def label(self) -> str:
        return self.name.lower()


_BY_NAME = {role.label: role for role in Role}


def roles_from_groups(groups: Iterable[object]) -> tuple[Role, ...]:
    """The roles named by Cognito groups (unknown groups ignored); a user in none is a viewer."""
    found = {_BY_NAME[g] for g in groups if isinstance(g, str) and g in _BY_NAME}
    return tuple(sorted(found)) or (Role.VIEWER,)


def parse_roles(value: str) -> tuple[Role, ...]:
    """Roles from the comma list an authorizer context carries."""
    return roles_from_groups(part.strip() for part in value.split(","))
