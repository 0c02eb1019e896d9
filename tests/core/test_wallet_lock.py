"""A wallet's PIN cannot be guessed: five wrong PINs in a row lock it for five minutes, in every process."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest

from pos.core.bootstrap import open_core
from pos.core.errors import Unauthorized, WalletLocked
from pos.core.parties import sessions, wallet_lock
from pos.core.platform.clock import FixedClock
from pos.core.platform.journal import records

from .worlds import yen_wallet


def _wrong(core, wallet_id, times):
    codes = []
    for _ in range(times):
        with pytest.raises(Unauthorized) as refused:
            wallet_lock.authenticate(core, wallet_id, "0000")
        codes.append(refused.value.code)
    return codes


def test_the_fifth_wrong_pin_in_a_row_locks_the_wallet_and_even_the_right_pin_is_refused(core):
    wallet = yen_wallet(core)["wallet_id"]
    assert _wrong(core, wallet, 5) == ["BAD_CREDENTIALS"] * 4 + ["WALLET_LOCKED"]
    with pytest.raises(WalletLocked) as locked:
        wallet_lock.authenticate(core, wallet, "1234")
    assert locked.value.retry_after == wallet_lock.LOCK_SECONDS
    with core.db.read() as conn:
        assert any(r.kind == "wallet.locked" for r in records(conn))


def test_the_lock_ends_after_its_time_and_a_right_pin_clears_the_count(core, clock):
    wallet = yen_wallet(core)["wallet_id"]
    _wrong(core, wallet, 5)
    clock.advance(wallet_lock.LOCK_SECONDS - 10)
    with pytest.raises(WalletLocked) as locked:
        wallet_lock.authenticate(core, wallet, "1234")
    assert locked.value.retry_after == 10
    clock.advance(10)
    assert wallet_lock.authenticate(core, wallet, "1234") == {"wallet_id": wallet}
    assert _wrong(core, wallet, 4) == ["BAD_CREDENTIALS"] * 4  # a fresh run of five
    assert wallet_lock.authenticate(core, wallet, "1234") == {"wallet_id": wallet}
    assert _wrong(core, wallet, 4) == ["BAD_CREDENTIALS"] * 4


def test_an_unknown_wallet_and_a_wrong_pin_get_the_same_answer(core):
    wallet = yen_wallet(core)["wallet_id"]
    for who, pin in (("w_nobody", "1234"), (wallet, "9999"), ("x" * 300, "1234"), ("", "1234"), (wallet, None)):
        with pytest.raises(Unauthorized) as refused:
            wallet_lock.authenticate(core, who, pin)
        assert refused.value.code == "BAD_CREDENTIALS"


def test_api_sessions_obey_the_same_lock(core):
    wallet = yen_wallet(core)["wallet_id"]
    _wrong(core, wallet, 5)
    with pytest.raises(WalletLocked):
        sessions.sign_in(core, wallet_id=wallet, pin="1234")


def test_guesses_in_parallel_threads_never_get_more_than_five_pins_checked(core):
    wallet = yen_wallet(core)["wallet_id"]

    def guess(i):
        try:
            wallet_lock.authenticate(core, wallet, f"{i:04d}")
        except WalletLocked:
            return "locked"
        except Unauthorized:
            return "checked"
        return "signed in"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(guess, range(1235, 1265)))  # thirty wrong PINs at once
    assert outcomes.count("checked") <= wallet_lock.MAX_WRONG_PINS - 1
    assert outcomes.count("locked") >= 30 - wallet_lock.MAX_WRONG_PINS + 1
    with pytest.raises(WalletLocked):
        wallet_lock.authenticate(core, wallet, "1234")


def _guess_in_a_process(url, now_us, wallet_id, pin, results):
    core = open_core(url, clock=FixedClock(now_us), prepare_db=False)
    try:
        wallet_lock.authenticate(core, wallet_id, pin)
        results.put("signed in")
    except Unauthorized as refused:
        results.put(refused.code)
    finally:
        core.db.dispose()


def test_wrong_pins_from_other_processes_lock_the_wallet_here(core, db_url):
    wallet = yen_wallet(core)["wallet_id"]
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    for _ in range(wallet_lock.MAX_WRONG_PINS):  # one after another, each a server process of its own
        process = ctx.Process(target=_guess_in_a_process, args=(db_url, core.now(), wallet, "0000", results))
        process.start()
        process.join(timeout=60)
        assert process.exitcode == 0
    assert [results.get(timeout=10) for _ in range(5)] == ["BAD_CREDENTIALS"] * 4 + ["WALLET_LOCKED"]
    with pytest.raises(WalletLocked):  # this process, with the right PIN
        wallet_lock.authenticate(core, wallet, "1234")
