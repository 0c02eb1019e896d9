"""Plain-words names of every object, in English, Japanese and Chinese, for the inspector."""

from __future__ import annotations

LANGUAGES = ("en", "ja", "zh")

# ID -> (en, ja, zh)
TOP: dict[str, tuple[str, str, str]] = {
    "00": ("Payload format indicator", "ペイロード形式", "载荷格式指示符"),
    "01": ("Point of initiation method", "QRの種類（静的／動的）", "发起方式（静态/动态）"),
    "52": ("Merchant category code (MCC)", "加盟店業種コード（MCC）", "商户类别码（MCC）"),
    "53": ("Transaction currency (ISO 4217 numeric)", "取引通貨（ISO 4217 数字）", "交易货币（ISO 4217 数字代码）"),
    "54": ("Transaction amount", "取引金額", "交易金额"),
    "55": ("Tip or convenience fee indicator", "チップ・手数料の指定", "小费或手续费指示符"),
    "56": ("Convenience fee, fixed", "手数料（定額）", "手续费（固定金额）"),
    "57": ("Convenience fee, percentage", "手数料（率）", "手续费（百分比）"),
    "58": ("Country of the merchant", "加盟店の国", "商户所在国家"),
    "59": ("Merchant name", "加盟店名", "商户名称"),
    "60": ("Merchant city", "加盟店の都市", "商户所在城市"),
    "61": ("Postal code", "郵便番号", "邮政编码"),
    "62": ("Additional data (template)", "追加データ（テンプレート）", "附加数据（模板）"),
    "63": ("CRC checksum", "CRC チェックサム", "CRC 校验码"),
    "64": (
        "Merchant information in another language (template)",
        "別言語の加盟店情報（テンプレート）",
        "其他语言的商户信息（模板）",
    ),
}
CARD = ("Card network merchant account", "カードブランドの加盟店アカウント", "卡组织商户账户")
ACCOUNT = ("Merchant account information (template)", "加盟店アカウント情報（テンプレート）", "商户账户信息（模板）")
RFU = (
    "Reserved for future use (RFU): kept, but not defined yet",
    "将来のための予約（RFU）：保持するが未定義",
    "保留供将来使用（RFU）：保留但尚未定义",
)
UNRESERVED = (
    "Unreserved template (for the payment system's own data)",
    "自由テンプレート（決済事業者独自のデータ）",
    "非保留模板（支付系统自定义数据）",
)

ADDITIONAL: dict[str, tuple[str, str, str]] = {
    "01": ("Bill number", "請求書番号", "账单号"),
    "02": ("Mobile number", "携帯電話番号", "手机号码"),
    "03": ("Store label", "店舗ラベル", "门店标签"),
    "04": ("Loyalty number", "ポイント会員番号", "会员号"),
    "05": ("Reference label", "参照ラベル", "参考标签"),
    "06": ("Customer label", "顧客ラベル", "客户标签"),
    "07": ("Terminal label", "端末ラベル", "终端标签"),
    "08": ("Purpose of transaction", "取引の目的", "交易目的"),
    "09": ("Additional consumer data request", "追加の利用者情報の要求", "额外消费者数据请求"),
    "10": ("Merchant tax ID", "加盟店の税番号", "商户税号"),
    "11": ("Merchant channel", "加盟店チャネル", "商户渠道"),
}
ADDITIONAL_TEMPLATE = ("Payment system specific template", "決済事業者固有テンプレート", "支付系统专用模板")
ADDITIONAL_RFU = ("Reserved for future use", "将来のための予約", "保留供将来使用")

LANGUAGE_SUB: dict[str, tuple[str, str, str]] = {
    "00": ("Language preference (ISO 639)", "言語（ISO 639）", "语言（ISO 639）"),
    "01": ("Merchant name, alternate language", "加盟店名（別言語）", "商户名称（其他语言）"),
    "02": ("Merchant city, alternate language", "都市（別言語）", "城市（其他语言）"),
}
GUID = (
    "Globally unique identifier (who defines this template)",
    "グローバル一意識別子（このテンプレートの定義者）",
    "全球唯一标识符（此模板的定义方）",
)
DETAIL = ("Payment-system specific detail", "決済事業者固有の項目", "支付系统专用字段")

#: scheme -> {sub-ID: label} for merchant account templates and our unreserved template
SCHEME_SUB: dict[str, dict[str, tuple[str, str, str]]] = {
    "qrpos": {
        "01": ("Merchant id", "加盟店ID", "商户编号"),
        "02": ("Terminal id", "端末ID", "终端编号"),
    },
    "qrpos_unreserved": {
        "01": ("Payment request id", "支払いリクエストID", "支付请求编号"),
        "02": ("Expires at (unix seconds)", "有効期限（UNIX秒）", "过期时间（UNIX 秒）"),
        "03": ("Signing key id", "署名鍵ID", "签名密钥编号"),
        "04": (
            "Signature (HMAC-SHA256, base64url)",
            "署名（HMAC-SHA256、base64url）",
            "签名（HMAC-SHA256，base64url）",
        ),
    },
    "jpqr": {
        "01": ("JPQR id, level 1 (13 digits)", "JPQR 統一店舗識別コード 第1階層（13桁）", "JPQR 编号 第1级（13位）"),
        "02": ("JPQR id, level 2 (4 digits)", "JPQR 統一店舗識別コード 第2階層（4桁）", "JPQR 编号 第2级（4位）"),
        "03": ("JPQR id, level 3 (6 digits)", "JPQR 統一店舗識別コード 第3階層（6桁）", "JPQR 编号 第3级（6位）"),
        "04": ("JPQR id, level 4 (6 digits)", "JPQR 統一店舗識別コード 第4階層（6桁）", "JPQR 编号 第4级（6位）"),
    },
    "pix": {
        "01": ("Pix key", "Pix キー", "Pix 密钥"),
        "02": ("Description", "説明", "描述"),
        "25": ("Payment location URL", "支払い情報のURL", "支付信息 URL"),
    },
    "paynow": {
        "01": ("Proxy type (0 mobile, 2 UEN)", "プロキシ種別（0 携帯、2 UEN）", "代理类型（0 手机，2 UEN）"),
        "02": ("Proxy value", "プロキシ値", "代理值"),
        "03": ("Amount editable (1 yes, 0 no)", "金額の変更可否（1 可、0 不可）", "金额可修改（1 是，0 否）"),
        "04": ("Expiry date (YYYYMMDD)", "有効期限（YYYYMMDD）", "有效期（YYYYMMDD）"),
    },
}

SCHEME_NAMES: dict[str, tuple[str, str, str]] = {
    "qrpos": (
        "qrpos payment request (our own signed profile)",
        "qrpos 支払いリクエスト（当社の署名付きプロファイル）",
        "qrpos 支付请求（我们自己的签名规范）",
    ),
    "jpqr": ("JPQR (Japan's unified QR standard)", "JPQR（日本の統一QRコード規格）", "JPQR（日本统一二维码标准）"),
    "promptpay": ("PromptPay (Thailand)", "PromptPay（タイ）", "PromptPay（泰国）"),
    "pix": ("Pix (Brazil)", "Pix（ブラジル）", "Pix（巴西）"),
    "paynow": ("PayNow (Singapore)", "PayNow（シンガポール）", "PayNow（新加坡）"),
    "sgqr": ("SGQR (Singapore's unified QR)", "SGQR（シンガポール統一QR）", "SGQR（新加坡统一二维码）"),
    "qris": ("QRIS (Indonesia)", "QRIS（インドネシア）", "QRIS（印度尼西亚）"),
    "duitnow": ("DuitNow QR (Malaysia)", "DuitNow QR（マレーシア）", "DuitNow QR（马来西亚）"),
    "vietqr": ("VietQR (Vietnam)", "VietQR（ベトナム）", "VietQR（越南）"),
    "khqr": ("KHQR / Bakong (Cambodia)", "KHQR／Bakong（カンボジア）", "KHQR／Bakong（柬埔寨）"),
    "emvco": (
        "EMVCo merchant-presented QR (no national profile recognised)",
        "EMVCo 加盟店提示型QR（国別規格は認識されず）",
        "EMVCo 商户展示码（未识别到国家规范）",
    ),
    "alipay_url": ("Alipay URL", "Alipay の URL", "支付宝链接"),
    "wechat_url": ("WeChat Pay URL", "WeChat Pay の URL", "微信支付链接"),
    "alipay_payment_code": (
        "Alipay payment code (shown by a payer's app)",
        "Alipay 支払いコード（利用者アプリが表示）",
        "支付宝付款码（付款方应用展示）",
    ),
    "wechatpay_payment_code": (
        "WeChat Pay payment code (shown by a payer's app)",
        "WeChat Pay 支払いコード（利用者アプリが表示）",
        "微信支付付款码（付款方应用展示）",
    ),
    "upi": ("UPI payment URI (India)", "UPI 支払いURI（インド）", "UPI 支付 URI（印度）"),
    "emv_cpm": ("EMV consumer-presented code", "EMV 利用者提示型コード", "EMV 消费者展示码"),
    "epc": ("EPC / SEPA credit transfer code", "EPC／SEPA 送金コード", "EPC／SEPA 转账码"),
    "unknown": (
        "Unknown: not a payment format we recognise",
        "不明：認識できる決済形式ではありません",
        "未知：不是可识别的支付格式",
    ),
}

PHRASES: dict[str, tuple[str, str, str]] = {
    "scheme": ("Scheme", "規格", "规范"),
    "static": ("static: the same code for every payment", "静的：毎回同じコード", "静态：每次付款使用同一个码"),
    "dynamic": ("dynamic: made for this one payment", "動的：この支払い専用のコード", "动态：为本次付款生成"),
    "crc_ok": (
        "matches the checksum computed over the payload",
        "ペイロードから計算した値と一致",
        "与根据载荷计算的校验值一致",
    ),
    "sig_ok": ("signature verified with key", "署名を検証しました。鍵", "签名已验证，密钥"),
    "sig_unchecked": (
        "signature present but not checked: no secret given for key",
        "署名はありますが未検証：鍵の秘密情報がありません",
        "有签名但未验证：未提供密钥",
    ),
    "template": ("template", "テンプレート", "模板"),
    "error": ("Rejected", "拒否", "拒绝"),
    "fields": ("Fields", "項目", "字段"),
    "warning": ("Warning", "注意", "警告"),
    "tip_01": ("the payer is asked to enter a tip", "利用者がチップを入力", "由付款方输入小费"),
    "tip_02": ("a fixed convenience fee is added", "定額の手数料が加算", "加收固定手续费"),
    "tip_03": ("a percentage convenience fee is added", "率による手数料が加算", "按百分比加收手续费"),
}


def pick(entry: tuple[str, str, str], lang: str) -> str:
    return entry[LANGUAGES.index(lang) if lang in LANGUAGES else 0]
