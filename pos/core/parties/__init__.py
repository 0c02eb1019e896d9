"""Who takes part in a payment: merchants (with their stores, terminals, staff and API keys) and
wallets (a cash account in the home currency, a miles account, a PIN), and wallet sessions."""

from pos.core.parties.merchants import (
    STAFF_ROLES,
    add_staff,
    api_key_is_active,
    authenticate_api_key,
    check_ttl,
    create_merchant,
    create_terminal,
    get_merchant_row,
    get_terminal_row,
    rotate_api_key,
    shop_rows,
)
from pos.core.parties.wallets import authenticate_wallet, create_wallet, get_wallet_row, top_up, wallet_summary

__all__ = [
    "STAFF_ROLES", "add_staff", "api_key_is_active", "authenticate_api_key", "authenticate_wallet", "check_ttl",
    "create_merchant", "create_terminal", "create_wallet", "get_merchant_row", "get_terminal_row",
    "get_wallet_row", "rotate_api_key", "shop_rows", "top_up", "wallet_summary",
]
