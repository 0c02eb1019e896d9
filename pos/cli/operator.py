"""Operator commands: migrate, merchants, wallets, top-ups, FX rates, ledger verify, sweep."""

from __future__ import annotations

import click

from pos.core.money import Money

#: merchants and terminals both take it: how long a dynamic request lives at that till
request_ttl_option = click.option("--request-ttl", "request_ttl_seconds", type=int,
                                  help="Seconds a dynamic request lives.")


def _fields(data: dict) -> str:
    """One ``key: value`` line per field: a new party's ids and its API key."""
    return "\n".join(f"{key}: {value}" for key, value in data.items())


def register(cli):
    from pos.cli.common import emit, handled, json_option

    @cli.command()
    @json_option
    @click.pass_obj
    @handled
    def migrate(obj, as_json):
        """Create or upgrade the database schema in place, then open platform accounts."""
        from pos.core.store.migrate import current_revision

        core = obj.core  # opening the core migrates and bootstraps
        rev = current_revision(core.db.engine)
        emit({"database": core.db.engine.url.render_as_string(hide_password=True), "revision": rev}, as_json,
             f"database is at revision {rev}")

    @cli.group()
    def merchant():
        """Merchants, with their store, terminal, staff and API key."""

    @merchant.command("create")
    @click.option("--name", required=True, help="Name in Latin script (ASCII, <= 25).")
    @click.option("--name-local", help="Name in the local script, e.g. 渋谷ラーメン.")
    @click.option("--language", help="Language of the local names (ISO 639-1, e.g. ja).")
    @click.option("--mcc", required=True, help="Merchant category code, 4 digits.")
    @click.option("--country", required=True, help="ISO 3166 alpha-2, e.g. JP.")
    @click.option("--city", required=True)
    @click.option("--city-local")
    @click.option("--postal-code")
    @click.option("--currency", required=True, help="Settlement currency, ISO 4217, e.g. JPY.")
    @click.option("--miles-earn-per", type=int, help="Minor units per mile earned, e.g. 200 (1 mile per 200 JPY).")
    @click.option("--fee-rate-bp", type=int, default=0, show_default=True, help="Fee in basis points.")
    @click.option("--store", "store_name", default="Main store", show_default=True)
    @click.option("--terminal", "terminal_label", default="Till 1", show_default=True)
    @click.option("--staff", "staff_name", default="Cashier", show_default=True)
    @request_ttl_option
    @json_option
    @click.pass_obj
    @handled
    def merchant_create(obj, as_json, **options):
        """Create a merchant; prints its ids and API key (shown once)."""
        from pos.core.parties.merchants import create_merchant

        data = create_merchant(obj.core, **options)
        emit(data, as_json, _fields(data))

    @cli.group()
    def terminal():
        """Terminals (tills), each with its own API key."""

    @terminal.command("create")
    @click.option("--merchant", "merchant_id", required=True)
    @click.option("--label", required=True, help="What the till is called, e.g. 'Till 2' (ASCII, <= 25).")
    @click.option("--store", "store_id", help="Store id (default: the merchant's first store).")
    @request_ttl_option
    @json_option
    @click.pass_obj
    @handled
    def terminal_create(obj, as_json, **options):
        """Add a terminal; prints its id and API key (shown once)."""
        from pos.core.parties.merchants import create_terminal

        data = create_terminal(obj.core, **options)
        emit(data, as_json, _fields(data))

    @terminal.command("rotate-key")
    @click.argument("terminal_id")
    @json_option
    @click.pass_obj
    @handled
    def terminal_rotate_key(obj, terminal_id, as_json):
        """Revoke TERMINAL_ID's API key and print a new one (shown once)."""
        from pos.core.parties.merchants import rotate_api_key

        data = rotate_api_key(obj.core, terminal_id=terminal_id)
        emit(data, as_json, f"new API key for {terminal_id}: {data['api_key']} "
                            f"({data['revoked_keys']} old key(s) revoked)")

    @cli.group()
    def staff():
        """Staff of a merchant."""

    @staff.command("add")
    @click.option("--merchant", "merchant_id", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["cashier", "manager"]), default="cashier", show_default=True)
    @click.option("--pin", help="4-8 digits, for signing in to the till (without one they cannot sign in).")
    @json_option
    @click.pass_obj
    @handled
    def staff_add(obj, as_json, pin, **options):
        """Add a cashier or manager."""
        from pos.core.parties import staff as staff_rules
        from pos.core.parties.merchants import add_staff

        if pin is not None:
            staff_rules.check_pin_format(pin)  # before anything is written
        data = add_staff(obj.core, **options)
        if pin is not None:
            staff_rules.set_pin(obj.core, staff_id=data["staff_id"], pin=pin)
        emit(data, as_json, f"{data['role']} {data['name']}: {data['staff_id']}")

    @staff.command("set-pin")
    @click.argument("staff_id")
    @click.option("--pin", required=True, help="4-8 digits; also clears a lock after wrong PINs.")
    @click.pass_obj
    @handled
    def staff_set_pin(obj, staff_id, pin):
        """Give a member of staff a new till PIN."""
        from pos.core.parties import staff as staff_rules

        staff_rules.set_pin(obj.core, staff_id=staff_id, pin=pin)
        click.echo(f"{staff_id}: new PIN set")

    @cli.group()
    def wallet():
        """Wallets: create, top up, show."""

    @wallet.command("create")
    @click.option("--owner", required=True)
    @click.option("--currency", required=True, help="Home currency, ISO 4217, e.g. CNY.")
    @click.option("--pin", required=True, help="4-8 digits.")
    @click.option("--balance", default="0", show_default=True, help="Opening balance in major units, e.g. 5000.00.")
    @click.option("--miles", type=int, default=0, show_default=True)
    @json_option
    @click.pass_obj
    @handled
    def wallet_create(obj, owner, currency, pin, balance, miles, as_json):
        """Create a wallet with a cash balance and miles."""
        from pos.core.parties.wallets import create_wallet

        opening = Money.parse(balance, currency)
        data = create_wallet(obj.core, owner=owner, currency=currency, pin=pin, balance=opening.minor, miles=miles)
        emit(data, as_json, f"wallet {data['wallet_id']} for {owner}: {opening.format()} and {miles} miles")

    @wallet.command("topup")
    @click.argument("wallet_id")
    @click.argument("amount")
    @click.option("--idempotency-key", help="Retry-safe key: the same key tops up once.")
    @json_option
    @click.pass_obj
    @handled
    def wallet_topup(obj, wallet_id, amount, idempotency_key, as_json):
        """Top up WALLET_ID by AMOUNT in major units of the wallet's currency."""
        from pos.core.parties.wallets import top_up, wallet_summary

        currency = wallet_summary(obj.core, wallet_id)["currency"]
        data = top_up(obj.core, wallet_id=wallet_id, amount=Money.parse(amount, currency).minor,
                      idempotency_key=idempotency_key)
        balance = Money(data["balance"]["amount"], currency)
        emit(data, as_json, f"wallet {wallet_id} balance {balance.format()}")

    @wallet.command("show")
    @click.argument("wallet_id")
    @json_option
    @click.pass_obj
    @handled
    def wallet_show(obj, wallet_id, as_json):
        """Show a wallet's balance and miles."""
        from pos.core.parties.wallets import wallet_summary

        data = wallet_summary(obj.core, wallet_id)
        balance = Money(data["balance"]["amount"], data["currency"])
        emit(data, as_json, f"{data['owner']} ({wallet_id}): {balance.format()}, {data['miles']} miles")

    @cli.group()
    def fx():
        """Foreign-exchange rates."""

    @fx.command("set")
    @click.argument("base")
    @click.argument("quote")
    @click.argument("rate")
    @click.option("--spread-bp", type=int, default=0, show_default=True, help="Spread charged over the mid rate.")
    @json_option
    @click.pass_obj
    @handled
    def fx_set(obj, base, quote, rate, spread_bp, as_json):
        """Set the mid rate: 1 BASE = RATE QUOTE (e.g. `fx set JPY CNY 0.0482 --spread-bp 150`)."""
        from pos.core.payments.quotes import set_rate

        data = set_rate(obj.core, base=base.upper(), quote=quote.upper(), rate=rate, spread_bp=spread_bp)
        emit(data, as_json, f"1 {data['base']} = {data['rate']} {data['quote']} (+{spread_bp} bp)")

    @cli.group()
    def keys():
        """Keys that sign payment QR codes."""

    @keys.command("rotate")
    @json_option
    @click.pass_obj
    @handled
    def keys_rotate(obj, as_json):
        """Sign new codes with a new key; codes signed with older keys still verify."""
        from pos.core.platform.keys import rotate_signing_key

        data = rotate_signing_key(obj.core)
        emit(data, as_json, f"new signing key {data['key_id']} (running servers sign with it after a restart)")

    @cli.group()
    def ledger():
        """The double-entry ledger."""

    @ledger.command("verify")
    @json_option
    @click.pass_obj
    @handled
    def ledger_verify(obj, as_json):
        """Prove the books: currencies sum to zero, balances match entries, the journal is intact."""
        from pos.core.ledger.verify import audit

        report = audit(obj.core)
        emit(report, as_json, report["summary"])
        if not report["ok"]:
            if not as_json:
                for problem in report["problems"]:
                    click.echo(f"  - {problem}", err=True)
            raise SystemExit(1)

    @cli.command()
    @json_option
    @click.pass_obj
    @handled
    def sweep(obj, as_json):
        """Expire every open payment request past its expiry."""
        from pos.core.payments.lifecycle import expire_due

        moved = expire_due(obj.core)
        emit({"expired": moved}, as_json, f"expired {moved} payment request(s)")
