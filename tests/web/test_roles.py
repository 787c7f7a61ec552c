"""Tokens by role: random, different, and told apart only by the whole token."""

from __future__ import annotations

import pytest

from sessiontui.web.roles import Tokens


def test_new_tokens_are_long_random_and_all_different() -> None:
    seen: set[str] = set()
    for _ in range(50):
        tokens = Tokens.new()
        trio = {tokens.viewer, tokens.remote, tokens.notes}
        assert len(trio) == 3
        assert all(len(token) == 24 for token in trio)
        assert not trio & seen
        seen |= trio


def test_each_token_grants_its_own_role_and_nothing_else_grants_any() -> None:
    tokens = Tokens("viewer-token", "remote-token", "notes-token")
    assert tokens.role_of("viewer-token") == "viewer"
    assert tokens.role_of("remote-token") == "remote"
    assert tokens.role_of("notes-token") == "notes"
    for wrong in (None, "", "remote-toke", "remote-token ", "REMOTE-TOKEN", "rémote-token"):
        assert tokens.role_of(wrong) is None


def test_two_roles_cannot_share_a_token() -> None:
    with pytest.raises(ValueError, match="differ"):
        Tokens("same", "same", "notes")
    with pytest.raises(ValueError, match="non-empty"):
        Tokens("", "remote", "notes")
