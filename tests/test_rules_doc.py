"""docs/rules.md matches the code: every setting it names exists, with the default it states."""

import re
from dataclasses import fields
from pathlib import Path

from coordboard.config import Settings

DOC = Path(__file__).parent.parent / "docs" / "rules.md"
SETTING = re.compile(r"`([a-z_]+)`(?: \(default (-?[\d.]+)\))?")


def test_every_setting_named_in_rules_md_exists_with_its_default() -> None:
    defaults = {f.name: f.default for f in fields(Settings)}
    named = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("Setting:"):
            continue
        for name, default in SETTING.findall(line):
            if name == "feedback_period_days":
                continue  # the old name, documented as still read
            named.append(name)
            assert name in defaults, name
            if default:
                assert float(default) == float(defaults[name]), name  # type: ignore[arg-type]
    assert {"yellow_workdays", "feedback_period_workdays", "ack_workdays"} <= set(named)
