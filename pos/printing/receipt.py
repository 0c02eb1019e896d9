"""An 80 mm roll-paper receipt as a PDF, in English, Japanese or Chinese.

The paper is exactly as long as the receipt: the blocks are planned, checked for printable glyphs and
measured before the page is made.
"""

from __future__ import annotations

from pos.core.money import Money
from pos.printing import labels
from pos.printing.documents import Receipt
from pos.printing.flow import Block, Column, Gap, Pair, Qr, Rule, Text, check, new_pdf

WIDTH = 80.0  # mm, the common thermal roll
MARGIN = 4.0
QR_SIZE = 30.0


def receipt_blocks(receipt: Receipt, lang: str) -> list[Block]:
    """What the receipt says, top to bottom, for a reader of ``lang`` (en, ja or zh)."""
    lang = labels.language(lang)
    shop = receipt.shop

    def say(key: str) -> str:
        return labels.label(lang, key)

    def money(amount: Money) -> str:
        return labels.money(amount, lang)

    # Latin text is set in the reader's font, so one typeface carries a receipt; the local name in its own.
    blocks: list[Block] = [Text(shop.name, lang, 12, "C"), Text(shop.name_local, shop.language, 12, "C")]
    where = " · ".join(p for p in (shop.store_name, shop.terminal_label) if p)
    if where:
        blocks.append(Text(where, lang, 7.5, "C"))
    blocks += [Gap(1.5), Text(say("receipt"), lang, 10, "C"),
               Text(labels.when(receipt.paid_at, shop.time_zone, lang), lang, 7.5, "C"), Rule()]
    blocks += _items(receipt, lang)
    blocks += [Rule(), Pair(say("total"), money(receipt.total), lang, 10)]
    if receipt.miles_used:
        value = f"-{money(receipt.miles_value)}" if receipt.miles_value else ""
        blocks.append(Pair(f"{say('miles_used')} ({labels.count(receipt.miles_used, lang)} {say('miles')})",
                           value, lang))
    if receipt.charged is not None:
        blocks.append(Pair(say("charged"), money(receipt.charged), lang))
        if receipt.rate is not None:
            rate = labels.rate(receipt.rate, receipt.total.currency, receipt.charged.currency, lang)
            blocks.append(Text(f"{say('rate')}{say('colon')}{rate}", lang, 7.5))
    if receipt.miles_earned:
        blocks.append(Pair(say("miles_earned"), f"{labels.count(receipt.miles_earned, lang)} {say('miles')}", lang))
    if receipt.refunds:
        blocks += _refunds(receipt, lang)
    blocks += [Rule(), Text(f"{say('payment_id')}{say('colon')}{receipt.payment_id}", lang, 7.5)]
    if receipt.reference:
        blocks.append(Text(f"{say('reference')}{say('colon')}{receipt.reference}", lang, 7.5))
    if receipt.url:
        blocks += [Gap(2), Qr(receipt.url, QR_SIZE), Text(say("view_online"), lang, 7, "C")]
    blocks += [Gap(2), Text(say("thanks"), lang, 9, "C")]
    return blocks


def _items(receipt: Receipt, lang: str) -> list[Block]:
    if not receipt.items:
        return [Pair(labels.label(lang, "amount"), labels.money(receipt.total, lang), lang)]
    blocks: list[Block] = []
    local = receipt.shop.language
    for item in receipt.items:
        name, name_lang = item.name(lang, local)
        blocks.append(Pair(name, labels.money(item.total, lang), name_lang))
        if item.quantity > 1:
            blocks.append(Text(f"  {item.quantity} × {labels.money(item.unit_price, lang)}", lang, 7.5))
        local_name = item.names.get(local, "").strip()
        if name_lang != local and local_name:
            blocks.append(Text(f"  {local_name}", local, 7))
    return blocks


def _refunds(receipt: Receipt, lang: str) -> list[Block]:
    blocks: list[Block] = [Rule()]
    for refund in receipt.refunds:
        moment = labels.when(refund.at, receipt.shop.time_zone, lang, short=True)
        blocks.append(Pair(f"{labels.label(lang, 'refund')} {moment}", f"-{labels.money(refund.amount, lang)}", lang))
        back = [labels.money(refund.cash_back, lang)] if refund.cash_back else []
        if refund.miles_back:
            back.append(f"{labels.count(refund.miles_back, lang)} {labels.label(lang, 'miles')}")
        if back:
            blocks.append(Text(f"  → {' + '.join(back)}", lang, 7.5))
    net = Money(receipt.total.minor - receipt.refunded.minor, receipt.total.currency)
    blocks += [Pair(labels.label(lang, "refunded"), f"-{labels.money(receipt.refunded, lang)}", lang),
               Pair(labels.label(lang, "net"), labels.money(net, lang), lang, 10)]
    return blocks


def render_receipt(receipt: Receipt, lang: str = "en") -> bytes:
    """The receipt as PDF bytes on 80 mm paper, for a reader of ``lang``.

    :raises MissingGlyphError: if any text has a character the embedded fonts cannot print.
    :raises UnsupportedLanguage: for a language other than en, ja, zh.
    """
    lang = labels.language(lang)
    blocks = receipt_blocks(receipt, lang)
    check(blocks)
    with new_pdf(f"{labels.label(lang, 'receipt')} {receipt.payment_id}", lang, blocks) as pdf:
        column = Column(pdf, MARGIN, WIDTH - 2 * MARGIN)
        pdf.add_page(format=(WIDTH, column.height(blocks) + 2 * MARGIN + 2))
        column.draw(blocks, MARGIN)
        return bytes(pdf.output())
