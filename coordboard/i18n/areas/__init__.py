"""Catalogue areas: one module per part of the product, each with ``ZH`` and ``EN`` dicts
side by side, merged over the core catalogues (``zh.py`` / ``en.py``) at import.

A new area is a new file here; nothing else needs editing, and a test checks that no
key is defined twice and that both languages hold the same keys.
"""
