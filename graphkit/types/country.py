"""Country codes: ISO 3166-1 alpha-2, upper case (plus XK for Kosovo).

Examples
--------
>>> parse("cn"), parse("Hong Kong"), parse("People's Republic of China")
('CN', 'HK', 'CN')
>>> parse("")
"""

from __future__ import annotations

import math
from functools import lru_cache

__all__ = ["CODES", "parse"]

CODES: frozenset[str] = frozenset(
    ["AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", "XK"]
)

# Names that lists and registers use for the countries this field meets most.
_NAMES: dict[str, str] = {
    "china": "CN", "people's republic of china": "CN", "prc": "CN", "中国": "CN",
    "hong kong": "HK", "hong kong sar": "HK", "macau": "MO", "macao": "MO", "taiwan": "TW",
    "united states": "US", "united states of america": "US", "usa": "US",
    "united kingdom": "GB", "uk": "GB", "russia": "RU", "russian federation": "RU",
    "iran": "IR", "north korea": "KP", "korea, north": "KP", "south korea": "KR",
    "korea, south": "KR", "singapore": "SG", "japan": "JP", "germany": "DE", "france": "FR",
    "cayman islands": "KY", "british virgin islands": "VG", "virgin islands, british": "VG",
    "united arab emirates": "AE", "uae": "AE", "india": "IN", "turkey": "TR", "turkiye": "TR",
    "malaysia": "MY", "netherlands": "NL", "switzerland": "CH", "belarus": "BY",
    "syria": "SY", "cyprus": "CY", "kazakhstan": "KZ", "armenia": "AM", "kyrgyzstan": "KG",
    "uzbekistan": "UZ", "vietnam": "VN", "thailand": "TH", "pakistan": "PK", "ukraine": "UA",
    "myanmar": "MM", "burma": "MM", "venezuela": "VE", "cuba": "CU", "lebanon": "LB",
    "palestinian": "PS", "palestine": "PS", "chinese": "CN", "russian": "RU", "iranian": "IR",
    "north korean": "KP", "kosovo": "XK", "region: gaza": "PS", "gaza": "PS", "west bank": "PS",
    "iraq": "IQ", "israel": "IL", "italy": "IT", "spain": "ES", "canada": "CA",
    "australia": "AU", "luxembourg": "LU", "ireland": "IE", "belgium": "BE", "austria": "AT",
}


@lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    """ISO 3166 names, official names and alpha-3 codes (via pycountry's ISO tables)."""
    import pycountry

    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


def parse(value: object) -> str | None:
    """Return the alpha-2 code for a code or a common country name; empty gives None.

    Raises
    ------
    ValueError
        If the value is neither a known code nor a known name.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    if text.upper() in CODES and len(text) == 2:
        return text.upper()
    code = _NAMES.get(text.lower())
    if code:
        return code
    code = _lookup(text)
    if code:
        return code
    raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
