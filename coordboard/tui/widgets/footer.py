"""Textual's footer, rebuilt only when what it shows changes.

Textual's ``Footer`` recomposes all its keys whenever the screen says its bindings may have
changed: every focus move (the board's start moved focus several times), each recompose
mounting a dozen ``FooterKey`` widgets that are styled twice (once mounted, once by their
``compact`` watcher). On the board's start that was ~10 % of the UI thread. This footer
remembers the keys it was last asked to show and lets an unchanged set pass.
"""

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[Any]) -> tuple[tuple[str, str, str, bool, str], ...]:
    """What a footer on ``screen`` would show: each shown binding's key, text, action,
    whether it is enabled, and its tooltip."""
    return tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                 for _node, binding, enabled, tooltip in screen.active_bindings.values()
                 if binding.show)


class KeysFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_keys: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = shown_keys(screen)
            if keys == self._last_keys:
                return  # the same keys as shown: nothing to rebuild
            self._last_keys = keys
        super().bindings_changed(screen)
