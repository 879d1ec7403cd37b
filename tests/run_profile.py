"""How long the slow randomised checks run: CI's short profile by default, a developer's
long one with ``HYPOTHESIS_PROFILE=dev`` (the same switch as the property tests,
docs/testing.md)."""

import os

LONG = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "dev"


def trials(ci: int, dev: int) -> int:
    return dev if LONG else ci
