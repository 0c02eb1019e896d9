"""Real-world payment strings, each with where it was published, and malformed ones.

Every EMV payload's CRC was checked by hand (binascii.crc_hqx over its UTF-8 bytes) before it
was added. "public code" means a public GitHub file found by content search whose repository
the search did not name; the note says what the file is.
"""

from pos.core.codec.crc import crc16

# ruff: noqa: E501  -- each payload stays on one line, as published, so it can be compared and copied

# The EMVCo MPM specification's own example (Annex, CRC A13A), as quoted in
# mercari/go-emv-code mpm/jpqr/jpqr_test.go and in the exemvi (Elixir) test suite.
EMVCO_SPEC_EXAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
    "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708"
    "123456786304A13A"
)

# (scheme, payload, source)
REAL_WORLD: list[tuple[str, str, str]] = [
    ("emvco", EMVCO_SPEC_EXAMPLE, "EMVCo MPM spec example; mercari/go-emv-code mpm/jpqr/jpqr_test.go"),
    ("emvco", "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115303156540523.725502015802CN5914BEST TRANSPORT6007BEIJING6233030412340603***0708A60086670902ME64200002ZH0104最佳运输0202北京6304CDE7",
     "mercari/go-emv-code mpm/emv_test.go (emvSamplePayload)"),
    ("emvco", "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304FF8B",
     "mercari/go-emv-code mpm/emv_test.go (pass: without MerchantInformation)"),
    ("emvco", "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115303156540523.725502015802CN5914BEST TRANSPORT6007BEIJING6233030412340603***0708A60086670902ME6304EBA6",
     "mercari/go-emv-code mpm/emv_test.go (TestEncoder_Encode, without MerchantInformation)"),
    ("jpqr", "0002016003xxx01021129300012D156000000000510A93FO3230Q31280012D1560000000103081234567826680019jp.or.paymentsjapan01130000000000001020400010306000001040600000153033925903xxx64180002JA0108メルペイ カフェ520441115802JP610710661436304DEE9",
     "mercari/go-emv-code mpm/jpqr/jpqr_test.go (TestDecode)"),
    ("promptpay", "00020101021129370016A000000677010111011300668012345675802TH530376463046197",
     "dtinth/promptpay-qr index.test.js (local phone number)"),
    ("promptpay", "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1",
     "dtinth/promptpay-qr index.test.js (dashed phone number)"),
    ("promptpay", "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A",
     "dtinth/promptpay-qr index.test.js (national ID)"),
    ("promptpay", "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD",
     "dtinth/promptpay-qr index.test.js (tax ID)"),
    ("promptpay", "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469",
     "dtinth/promptpay-qr index.test.js (amount 4.22)"),
    ("promptpay", "00020101021153037645802TH29370016A0000006770101110113006681017332754074999.9963040154",
     "dictotal/pay src/platform/PAY/v-go/data.js (url_ali of a live payment page)"),
    ("promptpay", "00020101021229370016A0000006770101110113006692754538553037645802TH540550.006304B5FD",
     "public code: restaurant POS API doc, POST /api/payments/promptpay response"),
    ("pix", "00020126500014BR.GOV.BCB.PIX0128mariannavidal12345@gmail.com520400005303986540580.005802BR5923Marianna Vidal da Silva6009SAO PAULO62140510Uog7w1SbFq63044416",
     "public code: wedding gift list JSON, pix_copia_e_cola of item 11"),
    ("pix", "00020126420014br.gov.bcb.pix0120admin@foodfacil.site520400005303986540525.505802BR5923DEELIEZER202202110139296009Sao Paulo62240520mpqrinter791905408246304A712",
     "public code: Java order controller returning a Mercado Pago pix_key"),
    ("pix", "00020101021226950014br.gov.bcb.pix2573api.openpix.com.br/api/testaccount/qr/v1/76b78b30595a4adba28b1831eb65c0ff52040000530398654040.995802BR5921OXX_SOLUCOES_DIGITAIS6009Sao_Paulo6229052576b78b30595a4adba28b1831e63043D8B",
     "alvaro-alvs/alvaro-alvs src/data/fake.ts (OpenPix charge brCode)"),
    ("pix", "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D",
     "Banco Central do Brasil static BR Code example, as asserted in a public vitest (buildStaticPixPayload)"),
    ("pix", "00020126580014br.gov.bcb.pix0136b76aa9c2-2ec4-4110-954e-ebfe34f05b61520400005303986540512.345802BR5911TE35069Wi056014Begz kGOBJEUte62230519mpqrinter132741051963042B7C",
     "M-Robot35/Boilerplate-Node.js-Start backend/exemplos-in-out/pix.ts (Mercado Pago sandbox qr_code)"),
    ("paynow", "00020101021226560009SG.PAYNOW010120213201509555BNN1030100412230914205029520400005303702540450.05802SG5914DEV MERCHANT 56009SINGAPORE621601120870-0000VL663049149",
     "public code: Java UI test calling a PayNow sandbox notify mock (qr_data=...)"),
    ("sgqr", "00020101021126490009SG.PAYNOW010120210202012345X0301104082021123151820007SG.SGQR0113202012345X123020701.000103068286710402010503123060400000708201912315204000053037025802SG5911RATINAN LEE6009SINGAPORE610682876162140110987654321X630429FD",
     "lee-ratinan/emv-qr README.md (EmvMerchantDecoder example)"),
    ("sgqr", "00020101021126810011SG.COM.NETS01231198500065G9912312359000211111686614000308686614019908604108C251800007SG.SGQR01121809072DD85C020701.00010306079027040201050206060400000708201809155204581253037025802SG5912SOBA EXPRESS6009Singapore630457B3",
     "public code: SgQr PHP parser example; code photographed in a channelnewsasia.com SGQR launch article"),
    ("sgqr", "0002010102111531480007024800070280007025499435326590011COM.REMOPAY0110200000033802040000030400010404000099020127330015SG.COM.DASH.WWW0110100210041328650017COM.QQ.WEIXIN.PAY0110100000033702040000030400010404000099020129720013sg.com.ezlink0114FMP-10000003380204SGQR0317NPL-0001-0000000004046AF951800007SG.SGQR01121809072DDA29020701.00010306058602040200050200060400000708201809155204000053037025802SG5909hisenyuan6009Singapore63044F90",
     "public code: Python sgqr parser demo (example_qr_code2)"),
    ("sgqr", "00020101021126520008com.grab01365af16fa7-25d5-442b-8c19-b88ddafb14c727330015sg.com.dash.www0110000000464728810011SG.COM.NETS01231198500065G99123123590002111118778720003088778720199084136B4AE51800007SG.SGQR011218090900176B020700.00210306079027040201050213060400000708201809115204581253037025802SG5909TOAST BOX6009Singapore6304B081",
     "public code: TypeScript SGQR library test (SGQR.fromString, TOAST BOX)"),
    ("sgqr", "00020101021126520008com.grab0136c99990dc-ab89-442f-accb-1fd96dd4eff627330015sg.com.dash.www0110000000901628460010com.myfave0128https://myfave.com/qr/6ntdz329360009SG.AIRPAY0119936009180000000468751810007SG.SGQR01121809112DE3C7020701.000703065743700402010503105060400000708202012105204581253037025802SG5920UDDERS UPPER THOMSON6009Singapore63047AEC",
     "public code: rationally-app (SupplyAlly) payment QR identifier tests"),
    ("sgqr", "00020101021126440010com.myfave0126https://myfave.com/qr/511727630010com.alipay0145https://qr.alipay.com/ocx08230mbjrpvogjn4mm1751800007SG.SGQR01121809132E11F3020701.00030306339511040202050209060400000708201809185204000053037025802SG5911DRAGON BOWL6009Singapore630443F4",
     "public code: Java CRC checksum utility (DRAGON BOWL SGQR, expected 43F4)"),
    ("qris", "00020101021126570011ID.DANA.WWW011893600915303471271802090347127180303UMI51440014ID.CO.QRIS.WWW0215ID10265837741240303UMI5204739453033605802ID5916Semilir Semarang6013Kota Semarang6105501166304285A",
     "public code: JS QRIS_STATIC template of a Semarang shop"),
    ("qris", "00020101021126610014COM.GO-JEK.WWW01189360091435733160090210G5733160090303UMI51440014ID.CO.QRIS.WWW0215ID10243445564680303UMI5204581253033605802ID5911FAMILY FARM6005Medan61052011162070703A016304485F",
     "public code: Next.js route posting qris_string to a payment API"),
    ("qris", "00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7",
     "public code: Go OrderController StaticQRISPayload"),
    ("qris", "00020101021126590013ID.CO.BNI.WWW011893600009150464484202096095449950303UMI51440014ID.CO.QRIS.WWW0215ID10265223592760303UMI5204591253033605802ID5914APOTEK ALMAIRA6010BANJARBARU61057071462070703A01630490BA",
     "public code: generateDynamicQris base QRIS (BNI, Apotek Almaira)"),
    ("qris", "00020101021126670016COM.NOBUBANK.WWW01189360050300000879140214849295851316970303UMI51440014ID.CO.QRIS.WWW0215ID20253718844250303UMI5204481253033605802ID5920LX DIGITAL OK21273266008BANYUMAS61055311162070703A016304AF77",
     "public code: Python convert_qris script"),
    ("qris", "00020101021126610014COM.GO-JEK.WWW01189360091436271261480210G6271261480303UMI51440014ID.CO.QRIS.WWW0215ID10253896834060303UMI5204573253033605802ID5909aldo soft6013PASAMAN BARAT61052656662070703A0163042275",
     "Rifaldo-dev/qrisdinamis README.md (payload string of a scanned static QRIS)"),
    ("duitnow", "00020201021126440014A0000006150001010689005302121102928373325204000053034585802MY5910JAMESONLAM6002MY6213060988866479363043A1C",
     "public code: DuitNow QR generator README, 'How To Read QR String' sample"),
    ("duitnow", "00020201021126420014A000000615000101066033460210MD001675755204866153034585802MY5925MASJID AN NUR KG PULAU PA6002MY62730325176058824920300364503190705201760588252660003807507161760587771148005630470BF",
     "public code: DuitNow QR MCP tool SAMPLE (parse/validate DuitNow QR)"),
    ("duitnow", "0002020102115204000053034585802MY5914CHEE WAI XIONG6002MY26520014A000000615000101065888300220PF201205105937311574622206046119070485980802026304A04C",
     "public code: Flutter QrImage data of a personal DuitNow code"),
    ("duitnow", "00020201021126520014A000000615000101068900530220MDN163112377136573055204539953034585802MY5925PERTUBUHANPENGANUTAGAMABU6008ULUTIRAM630494FE",
     "public code: React payments page QRCode.toCanvas payload"),
    ("duitnow", "00020201021126560014A000000615000101068900610224602e133f1129ae9ef5dfd3cb5204000053034585802MY5925PERFECT SECURITY & AUT...6002MY8240151624d4b83552c970df6f920824aaf4e04c86e96304762F",
     "public code: Python crc16_ccitt_false check script (expected 762F); 82 is a scalar hash"),
    ("vietqr", "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C",
     "subiz/vietqr README.md (Generate(120000, \"970415\", ...))"),
    ("khqr", "00020101021230510016abaakhppxxx@abaa01153260423164319600208ABA Bank52047876530384054043.005802KH5915GOMAMA PLAY SHV6014SIHANOUK VILLE6226050701260940711202605003929975001317793488654040113177934916517667170013F1BF016411FDA6804PQRA6908purchase63048F73",
     "public code: Angular page redirecting to abamobilebank://...&qrcode= (URL-decoded)"),
    ("khqr", "00020101021229180014your_name@wing520459995802KH5909Your Name6010Phnom Penh991700131724927295157541100000009800530311662610112TRX0192837750211855123456780305MShop0717Buy 1A_Level_Book63041087",
     "public code: Python bakong-khqr wrapper README example (# String Result)"),
    ("khqr", "00020101021230390017mann_yivfouy@bkrt010716646990203ABA52045999530384054040.105802KH5910POS System6010PHNOM PENH62160112SALE-00000829934001317873075527810113178730815278063047BEF",
     "public code: Node script writing test-khqr.png"),
    ("khqr", "00020101021230490008aka@wing0108007503150209BILLPAYON0308MERCHANT520452625303116540441005802KH5916My Supplier(BTC)6008MERCHANT61051200062270116WMK-1232311111290303YES6304B657",
     "public code: Spring controller getQRCode (Wing merchant KHQR)"),
]

# (scheme, text, source) for payment strings that are not EMV merchant-presented codes
NON_EMV: list[tuple[str, str, str]] = [
    ("alipay_url", "https://qr.alipay.com/fkx189991xm3pdujnw1mxb0", "public code: Vue donation page qrcodes"),
    ("alipay_url", "https://qr.alipay.com/fkx13673gkz2fi4kwuvzjb9?t=1608010938119", "public code: Objective-C comment"),
    ("wechat_url", "wxp://f2f0-fpSqA1Q3ig3rSGlxpZzq5HfND8n5JYnqJK1ecp29scXBlRx2gKE_9JLIaJL4_Di", "public code: Vue donation page qrcodes"),
    ("wechat_url", "wxp://f2f0JG_gcoclfMI3-WzmlCSo0YdqYimYL8-7", "public code: PHP payment redirect page"),
    ("alipay_payment_code", "283892323456789012", "public code: Alipay face-to-face order script, auth_code"),
    ("alipay_payment_code", "288196526786014049", "public code: POS payment log, AUTH_CODE"),
    ("wechatpay_payment_code", "134567890123456789", "WeChat Pay micropay docs: auth_code is 18 digits starting 10-15"),
    ("upi", "upi://pay?pa=shravyatours23@okicici&pn=ShravyaTours", "public code: travel site UPI QR"),
    ("upi", "upi://pay?pa=7275509792@upi&pn=ElectricCareJoin&am=499&cu=INR&tn=ElectricianRegistrationFee", "public code: registration page"),
    ("emv_cpm", "hQVDUFYwMQ==", "public code: EMV CPM library tests (ConsumerPresentedMode.toBase64)"),
    ("epc", "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\nUrgency fund\nSample EPC QR code",
     "EPC069-12 example (European Payments Council, as shown on Wikipedia 'EPC QR code')"),
]


def with_crc(body_without_crc: str) -> str:
    """Append a correct CRC so that a test flaw is not masked by a checksum error."""
    body = body_without_crc + "6304"
    return body + crc16(body)


_BASE = EMVCO_SPEC_EXAMPLE[:-8]  # everything before "6304A13A"


def _swap(old: str, new: str) -> str:
    assert old in _BASE, old
    return with_crc(_BASE.replace(old, new, 1))


_JPQR = REAL_WORLD[4][1]
_PROMPTPAY = REAL_WORLD[5][1]
_PIX = REAL_WORLD[15][1]


def _edit(payload: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` in a valid payload and give it a correct CRC again."""
    body = payload[:-8]
    assert old in body, old
    return with_crc(body.replace(old, new, 1))


# (expected code, payload, flaw) -- every flaw is different
MALFORMED: list[tuple[str, str, str]] = [
    ("PAYLOAD_CRC_MISMATCH", EMVCO_SPEC_EXAMPLE[:-4] + "A13B", "CRC off by one"),
    ("PAYLOAD_CRC_MISMATCH", EMVCO_SPEC_EXAMPLE.replace("BEIJING", "BEIJINH"), "a value changed after the CRC was computed"),
    ("PAYLOAD_BAD_CRC", _BASE + "6304M2B3", "CRC is not hexadecimal"),
    ("PAYLOAD_BAD_CRC", _BASE + "6303A13", "CRC of 3 characters"),
    ("PAYLOAD_MISSING_OBJECT", _BASE, "no CRC object at all"),
    ("PAYLOAD_NOT_EMV", EMVCO_SPEC_EXAMPLE[6:], "payload format indicator missing (starts with 01)"),
    ("PAYLOAD_TOO_LONG", "0002" + "9" * 600, "over 512 characters"),
    ("PAYLOAD_TOO_LONG", "00020101" * 1280, "a 10 kB string"),
    ("PAYLOAD_TRUNCATED", EMVCO_SPEC_EXAMPLE[:120], "cut off in the middle of a value"),
    ("PAYLOAD_TRUNCATED", EMVCO_SPEC_EXAMPLE + "12", "two stray characters after the CRC"),
    ("PAYLOAD_BAD_TLV", _swap("5802CN", "5802CNAB02XY"), "an object ID that is not digits"),
    ("PAYLOAD_BAD_TLV", _swap("5914BEST", "59X4BEST"), "a length that is not digits"),
    ("PAYLOAD_BAD_LENGTH", _swap("5802CN", "5802CN6100"), "an empty object (length 00)"),
    ("PAYLOAD_DUPLICATE_OBJECT", _swap("5802CN", "5802CN5802CN"), "object 58 twice"),
    ("PAYLOAD_DUPLICATE_OBJECT", _swap("6233030412340603***0708A60086670902ME",
                                       "6239030412340603***0708A60086670902ME0702A6"), "sub-object 62.07 twice"),
    ("PAYLOAD_BAD_ORDER", EMVCO_SPEC_EXAMPLE + "6102AB", "an object after the CRC"),
    ("PAYLOAD_MISSING_OBJECT", _swap("5802CN", ""), "missing 58 (country)"),
    ("PAYLOAD_MISSING_OBJECT", _swap("5914BEST TRANSPORT", ""), "missing 59 (merchant name)"),
    ("PAYLOAD_MISSING_OBJECT", with_crc("000201010212520441115303156540523.725802CN5914BEST TRANSPORT6007BEIJING"), "no merchant account information"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "54051,000"), "amount with a grouping comma"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "54040.00"), "amount zero"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "5405-5.00"), "negative amount"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "54031e3"), "amount with an exponent"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "54061.2.34"), "amount with two dots"),
    ("PAYLOAD_BAD_AMOUNT", _swap("540523.72", "540623.725"), "three decimals for a 2-decimal currency"),
    ("PAYLOAD_BAD_FORMAT", with_crc("000202" + _BASE[6:]), "payload format 02 outside DuitNow"),
    ("PAYLOAD_BAD_VALUE", _swap("010212", "010213"), "point of initiation 13"),
    ("PAYLOAD_BAD_VALUE", _swap("52044111", "520441A1"), "MCC with a letter"),
    ("PAYLOAD_BAD_VALUE", _swap("5303156", "5303CNY"), "alphabetic currency code"),
    ("PAYLOAD_BAD_VALUE", _swap("5802CN", "5802cn"), "lower-case country"),
    ("PAYLOAD_BAD_VALUE", _swap("5914BEST TRANSPORT", "5926BEST TRANSPORT COMPANY LTD"), "merchant name over 25"),
    ("PAYLOAD_MISSING_OBJECT", _swap("550201", "550202"), "tip indicator 02 without fixed fee 56"),
    ("PAYLOAD_BAD_VALUE", _swap("550201", "5502015603100"), "fixed fee 56 with indicator 01"),
    ("PAYLOAD_BAD_AMOUNT", _swap("550201", "5502035703150"), "fee percentage 150"),
    ("PAYLOAD_BAD_VALUE", _swap("550201", "550204"), "tip indicator 04"),
    ("PAYLOAD_MISSING_OBJECT", _swap("29300012D156000000000510A93FO3230Q", "29140510A93FO3230Q"), "merchant template without GUID"),
    ("PAYLOAD_MISSING_OBJECT", _swap("64200002ZH0104最佳运输0202北京", "64060002ZH"), "template 64 without a name"),
    ("PAYLOAD_BAD_VALUE", _swap("64200002ZH", "64210003ZHO"), "language of 3 letters"),
    ("PAYLOAD_BAD_TLV", _swap("91320016A011223344998877070812345678", "9105ABCDE"), "unreserved template 91 that is not TLV"),
    ("PAYLOAD_BAD_CHARACTER", _swap("6007BEIJING", "6007BEI\x08ING"), "a control character"),
    ("PAYLOAD_BAD_CHARACTER", _BASE.replace("6007BEIJING", "6007BEI\ud800ING") + "6304A13A", "a lone surrogate"),
    ("PAYLOAD_EMPTY", "", "empty"),
    ("PAYLOAD_PROFILE_VIOLATION", _edit(_JPQR, "26680019jp.or.paymentsjapan0113000000000000102",
                                        "26670019jp.or.paymentsjapan011200000000000102"), "JPQR id of 12 digits"),
    ("PAYLOAD_PROFILE_VIOLATION", _edit(_JPQR, "61071066143", ""), "JPQR without postal code"),
    ("PAYLOAD_PROFILE_VIOLATION", _edit(_JPQR, "64180002JA", "64180002ZH"), "JPQR with language ZH"),
    ("PAYLOAD_PROFILE_VIOLATION", _edit(_PIX, "5303986", "5303840"), "Pix in US dollars"),
    ("PAYLOAD_PROFILE_VIOLATION", _edit(_PROMPTPAY, "5802TH", "5802VN"), "PromptPay with country VN"),
    ("PAYLOAD_MISSING_OBJECT", _edit(_PROMPTPAY, "5802TH", ""), "PromptPay may omit 52/59/60 but not 58"),
    ("PAYLOAD_MISSING_OBJECT", with_crc("00020101021126130009app.qrpos52045812530339258"
                                        "02JP5904SHOP6005TOKYO"), "our GUID without our ids and template 80"),
    # real-world payloads that are broken as published
    ("PAYLOAD_MISSING_OBJECT", "00020101021226380016ID.CO.SHOPEE.WWW010201020815863724530336054061440005802ID5921PT. SHOPPEE INDONESIA6007JAKARTA62180814gen by go-qris63049635",
     "sunary/qris README.md: no merchant category code 52"),
    ("PAYLOAD_CRC_MISMATCH", "00020164210002JA0111JPQRMPM本舗食堂53033925903xxx6003xxx610710600325802JP01021126680019jp.or.paymentsjapan0113000000000000102040001030600000104060000015204412163046D60",
     "public code: Swift JPQR reader test (kenmaz); CRC 6D60 does not match (computed 0F92)"),
    ("PAYLOAD_CRC_MISMATCH", "00020101021143520016com.mymerchantar0128http://localhost:3344/p/931850150011203611100015204970053030325802AR5921SERGIO MATIAS GUALINO6004CABA63044edf",
     "matiasgualino/qr-emvco-decoder-kotlin README.md: CRC 4edf does not match"),
    ("PAYLOAD_BAD_CRC", "00020101021126610014COM.GO-JEK.WWW01189360091234285490450210G6285936550303UMI51440014ID.CO.QRIS.WWW0215ID10253801632580303UMI5204504553033605802ID5910Misterdevs6007JAKARTA61051234562070703A016304M2B3",
     "misterdevs/qris-static-to-dynamic README.md: CRC 'M2B3' is not hex"),
]
