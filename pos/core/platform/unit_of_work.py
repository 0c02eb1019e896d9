"""The unit of work: one write transaction of the core, with what every step of it needs.

Modelled on cosmicpython's ``with uow: ... uow.commit()``, adapted to how our writes run: a write is
an *effect*, a function of a :class:`UnitOfWork`, handed to :meth:`Core.transact
<pos.core.platform.context.Core.transact>`. Group commit may run it inside a shared transaction and
a retry may run it again from the start, so an effect must read and write only through the unit it
is given; each run gets a fresh unit (a fresh connection, clock reading and journal list).

Two rules are part of the shape rather than conventions:

* one ``now`` for the whole transaction: every timestamp an effect writes is ``uow.now``;
* the journal comes last: effects *register* records with :meth:`UnitOfWork.journal`; the unit
  appends them after the effect returns, just before commit, because appending locks the journal's
  head row (which orders every writer) until the commit. Registering after that is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection

from pos.core.platform import journal
from pos.core.platform.ids import IdGenerator

if TYPE_CHECKING:
    from pos.core.platform.context import Settings

T = TypeVar("T")
JournalBody = dict[str, object]


@dataclass(frozen=True)
class JournalRecord:
    kind: str  # "payment.settled", "request.created", ...
    body: JournalBody


@dataclass(slots=True)
class UnitOfWork:
    """One run of one write transaction: its connection, its time, ids and settings."""

    conn: Connection
    now: int  # epoch microseconds, read once when the transaction starts
    ids: IdGenerator
    settings: Settings
    _records: list[JournalRecord] = field(default_factory=list)
    _closed: bool = False

    def journal(self, kind: str, body: JournalBody) -> None:
        """Register a journal record; it is appended after the effect, at this unit's ``now``."""
        if self._closed:
            raise RuntimeError("the journal of this unit of work was already written")
        self._records.append(JournalRecord(kind, body))

    def run(self, effect: Callable[[UnitOfWork], T]) -> T:
        """Run ``effect`` on this unit, then append its journal records (last, by construction)."""
        result = effect(self)
        self._closed = True
        for record in self._records:
            journal.append(self.conn, record.kind, record.body, self.now)
        return result


Effect = Callable[[UnitOfWork], T]
