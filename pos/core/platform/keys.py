"""Keys that sign our QR payloads (HMAC-SHA256), kept in the database so every server agrees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from pos.core.platform.unit_of_work import UnitOfWork
from pos.core.store.schema import signing_keys

if TYPE_CHECKING:
    from pos.core.platform.context import Core


def _add_active_key(uow: UnitOfWork) -> str:
    key_id = uow.ids.token(4)
    uow.conn.execute(
        insert(signing_keys).values(key_id=key_id, secret=uow.ids.secret_hex(32), active=True, created_at=uow.now)
    )
    return key_id


def ensure_signing_key(core: Core) -> str:
    """Create the first active key if there is none; return the active key id."""

    def effect(uow: UnitOfWork) -> str:
        row = uow.conn.execute(select(signing_keys.c.key_id).where(signing_keys.c.active)).first()
        if row is not None:
            return str(row.key_id)
        return _add_active_key(uow)

    return core.transact(effect)


def rotate_signing_key(core: Core) -> dict[str, object]:
    """Make a new active signing key. Older keys stay known, so codes already shown still verify."""

    def effect(uow: UnitOfWork) -> dict[str, object]:
        retired = uow.conn.execute(update(signing_keys).where(signing_keys.c.active).values(active=False)).rowcount
        key_id = _add_active_key(uow)
        uow.journal("signing_key.rotated", {"key_id": key_id, "retired": retired})
        return {"key_id": key_id, "retired": retired}

    return core.transact(effect)


class Keyring:
    """Signing keys read once per process; ``active`` signs, every known key verifies."""

    def __init__(self, core: Core):
        self._core = core
        self._keys: dict[str, bytes] = {}
        self._active: str | None = None

    def refresh(self) -> None:
        """Read the keys again (another process may have rotated them)."""
        self._load()

    def _load(self) -> None:
        with self._core.db.read() as conn:
            rows = conn.execute(select(signing_keys)).all()
        self._keys = {r.key_id: bytes.fromhex(r.secret) for r in rows}
        active = [r.key_id for r in rows if r.active]
        self._active = active[0] if active else None

    @property
    def keys(self) -> dict[str, bytes]:
        if not self._keys:
            self._load()
        return self._keys

    def active(self) -> tuple[str, bytes]:
        if self._active is None:
            ensure_signing_key(self._core)
            self._load()
        assert self._active is not None  # ensure_signing_key made one
        return self._active, self._keys[self._active]
