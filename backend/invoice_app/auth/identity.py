"""Who is calling: the verified claims the app uses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from .roles import Role


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    name: str
    roles: tuple[Role, ...]
    expires_at: int | None = None  # the token's `exp` (epoch s); None: no token (AUTH_MODE=none)

    @property
    def role(self) -> Role:
        """The highest role."""
        return max(self.roles)

    def may(self, role: Role) -> bool:
        return self.role >= role

    @property
    def role_names(self) -> list[str]:
        return [r.label for r in self.roles]

    def to_api(self) -> dict[str, object]:
        return {"sub": self.sub, "email": self.email, "name": self.name, "roles": self.role_names}

    def who(self) -> dict[str, str]:
        """What records of this person's actions keep (e.g. an invoice's `uploadedBy`)."""
        return {"sub": self.sub, "email": self.email}


# AUTH_MODE=none: an explicit opt-out for a private network, where everyone may do everything.
ANONYMOUS = Identity(sub="anonymous", email="", name="Anonymous", roles=(Role.ADMIN,))
