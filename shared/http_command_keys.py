"""The header an owner's internal route reads the command's key from, as the gateway passes it on.

See shared/holder/command_keys.py for what the owner does with it.
"""

from typing import Annotated

from fastapi import Header

from shared.holder.command_keys import HEADER, MAX_KEY_LENGTH

CommandKey = Annotated[str | None, Header(alias=HEADER, min_length=1, max_length=MAX_KEY_LENGTH,
                                          pattern=r"^[!-~]+$")]
