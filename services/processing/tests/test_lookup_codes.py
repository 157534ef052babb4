"""Lookup codes (mã hồ sơ): their format, and a counter that never hands out one code twice."""

import asyncio
from datetime import date

from services.processing.adapters.lookup_codes import LookupCodeCounter, format_lookup_code
from shared.store.memory import MemoryStore


def test_the_code_is_the_agency_the_day_of_receipt_and_the_number_of_the_day() -> None:
    assert format_lookup_code("000.00.17.H00", date(2026, 3, 3), 7) == "000.00.17.H00-260303-0007"
    assert format_lookup_code("000.00.17.H00", date(2030, 12, 31), 12345) == "000.00.17.H00-301231-12345"


async def test_the_number_runs_per_agency_and_day() -> None:
    db = MemoryStore("hoso_processing").db
    ours, theirs = LookupCodeCounter(db, "000.00.17.H00"), LookupCodeCounter(db, "000.00.18.H01")
    tuesday, wednesday = date(2026, 3, 3), date(2026, 3, 4)
    assert [await ours.next_code(tuesday) for _ in range(2)] == [
        "000.00.17.H00-260303-0001", "000.00.17.H00-260303-0002"]
    assert await ours.next_code(wednesday) == "000.00.17.H00-260304-0001"
    assert await theirs.next_code(tuesday) == "000.00.18.H01-260303-0001"


async def test_replicas_sharing_the_store_never_hand_out_the_same_code() -> None:
    db = MemoryStore("hoso_processing").db
    replicas = [LookupCodeCounter(db, "000.00.17.H00") for _ in range(3)]
    day = date(2026, 3, 3)
    codes = await asyncio.gather(*(replicas[n % 3].next_code(day) for n in range(60)))
    assert len(set(codes)) == 60
    assert sorted(codes)[-1] == "000.00.17.H00-260303-0060"
