"""Textual's footer, rebuilt only when what it shows changes, and cut with "…".

Textual's ``Footer`` recomposes all its keys whenever the screen says its bindings may have
changed: every focus move (the board's start moved focus several times), each recompose
mounting a dozen ``FooterKey`` widgets that are styled twice (once mounted, once by their
``compact`` watcher). On the board's start that was ~10 % of the UI thread. This footer
remembers the keys it was last asked to show and lets an unchanged set pass.

At 80 columns the keys do not all fit, and Textual's footer cuts the last one mid-word at
the edge ("q", "l"). Here the keys that do not fit are hidden whole, "…" says that there
are more, and F1 (help, which lists every key of the screen) is always kept.
"""

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from coordboard.tui.widgets.row_fit import fitting

HELP_ACTION = "help"


def shown_keys(screen: Screen[Any]) -> tuple[tuple[str, str, str, bool, str], ...]:
    """What a footer on ``screen`` would show: each shown binding's key, text, action,
    whether it is enabled, and its tooltip."""
    return tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                 for _node, binding, enabled, tooltip in screen.active_bindings.values()
                 if binding.show)


class MoreKeys(FooterLabel):
    """The "…" standing for the keys that did not fit; a click opens the help."""

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action("app.help")


def key_width(key: FooterKey) -> int:
    return cell_len(key.render().plain) + key.styles.gutter.width + key.styles.margin.width


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

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if not widgets:
            return
        more = MoreKeys("…", classes="hidden")
        at = next((i for i, widget in enumerate(widgets)
                   if isinstance(widget, FooterKey) and widget.action == HELP_ACTION),
                  len(widgets))
        yield from widgets[:at]
        yield more
        yield from widgets[at:]

    async def recompose(self) -> None:
        await super().recompose()
        self.fit_keys()

    def on_resize(self) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the leading keys that fit whole, then "…" and F1 when some do not."""
        keys = [key for key in self.query_children(FooterKey)
                if not key.has_class("-command-palette")]
        if not keys or not self.size.width:
            return
        room = self.size.width - sum(key_width(key) for key in self.query_children(FooterKey)
                                     if key.has_class("-command-palette"))
        kept = [key for key in keys if key.action == HELP_ACTION]
        others = [key for key in keys if key.action != HELP_ACTION]
        room -= sum(key_width(key) for key in kept)
        more = self.query_one(MoreKeys)
        shown = fitting([key_width(key) for key in others], room,
                        cell_len("…") + more.styles.margin.width)
        for index, key in enumerate(others):
            key.display = index < shown
        more.set_class(shown == len(others), "hidden")
