"""Who may do what in the room's server: one random token per role, told apart in constant time.

Participants get the viewer token (in the QR code), the facilitator the remote token, the
note-takers the notes token; a token is the only credential, so each is long, random and
different, and the comparison takes the same time whichever way it fails.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

Role = Literal["viewer", "remote", "notes"]

TOKEN_PARAMETER = "token"
"""The query parameter a link carries its token in (`/?token=...`)."""

TOKEN_BYTES = 18
"""Random bytes per token: 144 bits, 24 URL-safe characters, short enough for a QR code."""


@dataclass(frozen=True)
class Tokens:
    """The three tokens of one serving of a session, one per role."""

    viewer: str
    """For participants: the room's page and the read-only API."""
    remote: str
    """For the facilitator: everything the viewer has, plus the remote and `POST /api/control`."""
    notes: str
    """For note-takers: the room's page and the note-taker's browser view."""

    def __post_init__(self) -> None:
        tokens = [self.viewer, self.remote, self.notes]
        if any(not token for token in tokens) or len(set(tokens)) != len(tokens):
            # Two roles with one token could not be told apart: the lesser would win.
            raise ValueError("the viewer, remote and notes tokens must be non-empty and differ")

    @classmethod
    def new(cls) -> Tokens:
        """Three fresh random tokens, all different."""
        while True:
            tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in range(3)]
            if len(set(tokens)) == 3:
                return cls(*tokens)

    def role_of(self, given: str | None) -> Role | None:
        """The role this token grants, or None for no token or a wrong one."""
        if not given:
            return None
        # Bytes, because compare_digest refuses non-ASCII text, and a query string can hold any.
        offered = given.encode("utf-8")
        role: Role | None = None
        # Every role compared, so the time taken does not say which one nearly matched.
        for name, token in self.by_role():
            if hmac.compare_digest(offered, token.encode("utf-8")):
                role = name
        return role

    def by_role(self) -> tuple[tuple[Role, str], ...]:
        """Each role with its token, least power first."""
        return (("viewer", self.viewer), ("notes", self.notes), ("remote", self.remote))


def redacted(url: str) -> str:
    """A request's path and query with the token's value hidden, for the access log."""
    from yarl import URL

    parsed = URL(url)
    if TOKEN_PARAMETER not in parsed.query:
        return url
    query = [
        (key, "REDACTED" if key == TOKEN_PARAMETER else value)
        for key, value in parsed.query.items()
    ]
    return str(parsed.with_query(query))
