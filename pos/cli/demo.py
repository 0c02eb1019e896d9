"""`qrpos demo`: a fresh demo database, the demo world, and the narrated tourist walkthrough."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DB = "instance/qrpos-demo.db"


def register(cli):
    from pos.cli.common import handled

    @cli.command()
    @click.option("--db-file", default=DEFAULT_DB, show_default=True, help="SQLite file, recreated each run.")
    @click.option("--keep/--fresh", default=False, help="Keep an existing demo database instead of starting over.")
    @click.pass_obj
    @handled
    def demo(obj, db_file, keep):
        """Set up the demo shops and wallets on SQLite and run the tourist walkthrough."""
        from pos.cli.inspect import read_image
        from pos.core.bootstrap import open_core
        from pos.demo import seed, walkthrough

        path = Path(db_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = obj.db_url or f"sqlite:///{path.resolve()}"
        core = open_core(url)
        world = seed(core)
        click.echo(f"Demo database: {url}\n")
        walkthrough(core, world, click.echo, path.parent, read_image=read_image)
        click.echo("\nCredentials for trying it yourself:")
        for key, m in world["merchants"].items():
            click.echo(f"  merchant {key}: id {m['merchant_id']}, terminal {m['terminal_id']}, API key {m['api_key']}")
            for person in m.get("staff", []):
                click.echo(f"    {person['role']} {person['name']}: PIN {person['pin']}")
        for key, w in world["wallets"].items():
            click.echo(f"  wallet {key}: id {w['wallet_id']} ({w['currency']}), PIN {w['pin']}")
        click.echo(f"\nCheck the books any time: qrpos --db {url} ledger verify")
        click.echo(f"Serve it: qrpos --db {url} serve, then open http://127.0.0.1:8000/ : the terminal is at "
                   "/terminal/ (sign in with a name and PIN above), the phone wallet at /wallet/, the API docs at "
                   "/api/v1/docs. For visitors' phones on the shop's Wi-Fi: add --https --lan (make demo LAN=1).")
