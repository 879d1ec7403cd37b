"""What every coordboard screen shares: translated key bindings, typed access to the app,
and a hook for "someone changed the data"."""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual._context import NoActiveAppError
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from coordboard.i18n import t

if TYPE_CHECKING:
    from coordboard.tui.app import CoordboardApp

ResultType = TypeVar("ResultType")


def translate_bindings(node: DOMNode) -> None:
    """Binding descriptions are catalogue keys; show them in the current language.

    Class-level BINDINGS are built once, at import; translating each new node's
    own copy is what lets the in-app language switch relabel the footer.
    """
    node._bindings = BindingsMap.from_keys({
        key: [replace(b, description=t(b.description) if b.description else "",
                      tooltip=t(b.tooltip) if b.tooltip else "") for b in bindings]
        for key, bindings in node._bindings.key_to_bindings.items()
    })


class _Translated:
    """Translated bindings and typed access to the app, for screens and modals alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(cast(DOMNode, self))
        # Kept from the moment of creation: a worker thread still finishing after its
        # screen was closed cannot find the app through the (now detached) node.
        self._board_app: CoordboardApp | None = None
        with suppress(NoActiveAppError):
            self._board_app = cast("CoordboardApp", cast(DOMNode, self).app)

    def from_worker(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """From a worker thread: run ``callback`` on the app's thread, unless this screen
        was closed while the worker ran (its widgets are gone then)."""
        def deliver() -> Any:
            if cast(DOMNode, self).is_attached:
                return callback(*args, **kwargs)
            return None

        self.board_app.call_from_thread(deliver)

    @property
    def board_app(self) -> "CoordboardApp":
        if self._board_app is None:
            self._board_app = cast("CoordboardApp", cast(DOMNode, self).app)
        return self._board_app


class AppScreen(_Translated, Screen[ResultType]):
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
    pass
