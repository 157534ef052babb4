"""eSMS.vn's brand-name SMS (tin nhắn thương hiệu chăm sóc khách hàng), over its JSON API.

Followed: eSMS for Developers, "Send OTP/Customer care message" — `POST .../SendMultipleMessage_V4_post_json/`
with `ApiKey`, `SecretKey`, `Phone`, `Content`, `Brandname`, `SmsType` "2" (customer care), `IsUnicode`
("0": unaccented), `RequestId` (the partner's id, which eSMS checks against the requests it already
took) and `Sandbox`; the answer `{"CodeResult": "100", "SMSID": …}`. Its error table sorts the codes:
100 taken; 124 (duplicate RequestId) is a request it had already taken, so an attempt that timed out
after eSMS took it counts as sent, never sent twice; credentials, brand name, number and template
refusals are final; anything else (balance, its own errors, HTTP 5xx, a timeout) is tried again later.
"""

from typing import Any

import httpx

from services.notify.domain.sms import OutgoingSms, SmsProviderError, SmsRefused

ACCEPTED = frozenset({100, 124})
# 99 number blocked, 101 wrong ApiKey/SecretKey, 104 unknown brand name, 108 bad number, 118 unsupported
# message type, 140 IP not allowed, 146 text not matching a registered template, 177 network not registered.
REFUSED = frozenset({99, 101, 104, 108, 118, 140, 146, 177})
CUSTOMER_CARE = "2"


class EsmsProvider:
    def __init__(self, *, url: str, api_key: str, secret_key: str, brandname: str, unicode: bool,
                 sandbox: bool, timeout: float, http: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._credentials = {"ApiKey": api_key, "SecretKey": secret_key}
        self._brandname = brandname
        self._unicode = unicode
        self._sandbox = sandbox
        self._timeout = timeout
        # The client given, or one of its own made at the first SMS (on the running loop) and kept, like the
        # slips client's: a new client per message would build an SSL context and a connection every time.
        self._http = http

    def request_body(self, sms: OutgoingSms) -> dict[str, Any]:
        return {**self._credentials, "Phone": national_digits(sms.phone), "Content": sms.text,
                "Brandname": self._brandname, "SmsType": CUSTOMER_CARE, "IsUnicode": "1" if self._unicode else "0",
                "RequestId": sms.request_id, "Sandbox": "1" if self._sandbox else "0"}

    async def send(self, sms: OutgoingSms) -> None:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self._timeout)
        # A timeout or a refused connection raises here: passing, the same RequestId goes again later.
        response = await self._http.post(self._url, json=self.request_body(sms), timeout=self._timeout)
        response.raise_for_status()
        code = _code_of(response)
        if code in ACCEPTED:
            return
        raise (SmsRefused if code in REFUSED else SmsProviderError)(code)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def national_digits(phone: str) -> str:
    """The number as eSMS takes it, digits only: a provider's `+84 912 345 678` becomes `84912345678`."""
    return "".join(character for character in phone if character.isdigit())


def _code_of(response: httpx.Response) -> int:
    try:
        return int(response.json()["CodeResult"])
    except (ValueError, KeyError, TypeError):
        return 0  # not eSMS's answer (a proxy's page): passing, like its own unknown error
