"""What every coordboard screen shares: key bindings shown in the current language, typed
access to the app, and a hook for "someone changed the data"."""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual._context import NoActiveAppError
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from coordboard.i18n import CATALOGUES, t
from coordboard.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from coordboard.tui.app import CoordboardApp

ResultType = TypeVar("ResultType")


# Textual's own binding texts that reach our footer, by the key that translates them.
TEXTUAL_TEXTS = {
    "Dismiss menu": "tui.key.dismiss_menu",  # an open Select's overlay
    "palette": "tui.key.palette",  # the command palette binding Textual adds itself
    "Open the command palette": "tui.key.palette",
}


def shown_text(text: str) -> str:
    """A binding's description or tooltip in the current language: our catalogue keys, and
    the few texts Textual's own widgets bring; anything else as it is."""
    key = text if text in CATALOGUES["zh"] else TEXTUAL_TEXTS.get(text)
    return t(key) if key else text


def shown_binding(binding: Binding) -> Binding:
    return replace(binding, description=shown_text(binding.description) if binding.description else "",
                   tooltip=shown_text(binding.tooltip) if binding.tooltip else "")


def translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """What the footer and key panel show, translated when they ask (never stored
    translated, so a language switch relabels every footer on its next refresh)."""
    return {key: ActiveBinding(active.node, shown_binding(active.binding), active.enabled,
                               shown_text(active.tooltip) if active.tooltip else "")
            for key, active in bindings.items()}


class _Translated:
    """Translated bindings and typed access to the app, for screens and modals alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Kept from the moment of creation: a worker thread still finishing after its
        # screen was closed cannot find the app through the (now detached) node.
        self._board_app: CoordboardApp | None = None
        with suppress(NoActiveAppError):
            self._board_app = cast("CoordboardApp", cast(DOMNode, self).app)

    def from_worker(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """From a worker thread: run ``callback`` on the app's thread, unless this screen
        was closed, or is being taken down, while the worker ran (its widgets are gone
        then: a CI run met a home screen still attached whose counts were already removed)."""
        def deliver() -> Any:
            node = cast(DOMNode, self)
            if node.is_attached and not (node._closing or node._closed or node._pruning):
                return callback(*args, **kwargs)
            return None

        self.board_app.call_from_thread(deliver)

    def set_focus(self, widget: "Widget | None", scroll_visible: bool = True,
                  from_app_focus: bool = False) -> None:
        # A widget focused before its first layout has no place yet: Textual judged it out
        # of view and scrolled to centre it by the place it got later (the register form
        # opened scrolled past its first label).
        if widget is not None and not widget.region:
            scroll_visible = False
        super().set_focus(widget, scroll_visible, from_app_focus)  # type: ignore[misc]

    @property
    def board_app(self) -> "CoordboardApp":
        if self._board_app is None:
            self._board_app = cast("CoordboardApp", cast(DOMNode, self).app)
        return self._board_app


class AppScreen(_Translated, Screen[ResultType]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    def data_changed(self) -> None:
        """Someone (maybe this user, maybe another) changed the data: refresh what is shown."""

    def action_reload(self) -> None:
        self.data_changed()

    def action_back(self) -> None:
        self.app.pop_screen()

    def reopen(self) -> "AppScreen[Any] | None":
        """A fresh copy showing the same thing (used after a language switch); None to drop it."""
        return None


class AppModal(_Translated, ModalScreen[ResultType]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    def on_mount(self) -> None:
        # Its own keys (Esc, Ctrl+S, F1) over the footer of the screen beneath, whose keys
        # do nothing while a modal is open.
        self.mount(KeysFooter())
