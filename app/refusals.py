"""The base of every refusal the portal shows a person: a rule, a card or GİB says no, in Turkish.

A leaf module (it imports nothing of the portal), so every room may raise its own subclasses: the feature
packages, ``app.signing`` and ``app.gib`` alike. Views catch ``Refused`` and show ``message`` as it is.
"""

from __future__ import annotations


class Refused(Exception):
    """Something the person can read and act on; ``message`` (also ``str(exc)``) is the Turkish sentence."""

    default_message = "İşleminiz tamamlanamadı."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


def quoted(value: object, limit: int = 60) -> str:
    """What the person typed, quoted for a refusal: bounded, so a pasted page never comes back whole."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
