"""Document templates shipped with coordboard (docs/paperwork.md)."""
