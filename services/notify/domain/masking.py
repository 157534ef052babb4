"""Recipients as they may be shown or published: masked, so that a log or a screen never names them."""

MASK = "***"


def mask_email(address: str) -> str:
    """`binh.tran@example.vn` → `b***n@e***.vn`: enough to recognise one's own address, not to read it."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        return MASK
    shown_local = local[0] + MASK + (local[-1] if len(local) > 2 else "")
    host, dot, top_level = domain.rpartition(".")
    shown_domain = (host or top_level)[:1] + MASK + (dot + top_level if host else "")
    return f"{shown_local}@{shown_domain}"


def mask_phone(number: str) -> str:
    """`+84912345678` → `***678`: the last three digits, enough to tell one's own number."""
    digits = "".join(character for character in number if character.isdigit())
    return MASK + digits[-3:] if len(digits) >= 6 else MASK


def mask_recipient(channel: str, recipient: str) -> str:
    return mask_phone(recipient) if channel == "sms" else mask_email(recipient)
