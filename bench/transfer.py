"""Step 5a, one large document through the gateway: a PDF at intake's file limit (10 MB) uploaded and then
downloaded by its owner, a few times, in whichever run the processes given are (embedded or distributed).

Rate: the file's size over the time from the request's start to the last byte of the answer, median of the
repetitions. An upload's answer comes once the read model shows the version that records the file
(read-your-writes, as for every command), so its time includes that wait: a few milliseconds.

Memory: before each transfer, every process's VmHWM is brought down to its resident set as it is then
(bench.processes), and read again after it, so that a process's growth is how far above its resident set
that one transfer took it at its peak, whatever the start-up had peaked at before. The file is removed
after each round (it was never sent, so it may be), so that a blob store in memory does not carry the
last file into the next round's figure.
"""

import hashlib
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.citizens import REQUIRED_DOCUMENTS, attach, draft, sign_in
from bench.pdfs import MEGABYTE, pdf_of_size
from bench.processes import Process

# The documents issue's goal: no process grows by more than twice the file it passes on.
GOAL_FILE_SIZES = 2.0


@dataclass(frozen=True)
class TransferOptions:
    file_bytes: int
    repetitions: int


@dataclass
class Transfer:
    """One upload or download: how long it took, and each process's growth above its resident set (MB)."""

    seconds: float = 0.0
    growth_mb: dict[str, float] = field(default_factory=dict)
    # False when a process's VmHWM could not be reset: its growth is then only what went past its old peak.
    peaks_reset: bool = True


async def measure(gateway_url: str, processes: list[Process], options: TransferOptions) -> dict[str, Any]:
    content = pdf_of_size(options.file_bytes)
    digest = hashlib.sha256(content).hexdigest()
    uploads: list[Transfer] = []
    downloads: list[Transfer] = []
    async with httpx.AsyncClient(base_url=gateway_url, timeout=120.0) as http:
        owner = await sign_in(http, "bench-documents-transfer")
        created = await http.post("/v1/dossiers", json=draft(0), headers=owner)
        created.raise_for_status()
        dossier_id, code = created.json()["id"], REQUIRED_DOCUMENTS[0]
        documents = f"/v1/dossiers/{dossier_id}/documents/{code}"
        for _ in range(options.repetitions):
            with _watched(processes) as upload:
                attached = await attach(http, owner, dossier_id, code, content)
            uploads.append(upload)
            with _watched(processes) as download:
                received = await _download(http, f"{documents}/{attached['id']}", owner)
            downloads.append(download)
            if received != digest:
                raise RuntimeError("the file downloaded is not the file uploaded")
            (await http.delete(f"{documents}/{attached['id']}", headers=owner)).raise_for_status()
    size_mb = options.file_bytes / MEGABYTE
    return {"file_mb": round(size_mb, 2), "repetitions": options.repetitions, "goal_file_sizes": GOAL_FILE_SIZES,
            "upload": _summary(uploads, size_mb), "download": _summary(downloads, size_mb)}


@contextmanager
def _watched(processes: list[Process]) -> Iterator[Transfer]:
    """Times the block, and measures how far above its resident set it took each process at its peak."""
    transfer = Transfer()
    baselines: dict[str, float | None] = {}
    for process in processes:
        baselines[process.name] = process.reset_peak_memory()
        if baselines[process.name] is None:
            transfer.peaks_reset = False
            baselines[process.name] = process.read_peak_memory()
    started = time.perf_counter()
    yield transfer
    transfer.seconds = time.perf_counter() - started
    for process in processes:
        peak, baseline = process.read_peak_memory(), baselines[process.name]
        transfer.growth_mb[process.name] = round(max(0.0, peak - baseline), 1) if peak and baseline else 0.0


async def _download(http: httpx.AsyncClient, path: str, owner: dict[str, str]) -> str:
    """The file streamed to its end (as a browser saves it, never held whole here); answers its SHA-256."""
    digest = hashlib.sha256()
    async with http.stream("GET", path, headers=owner) as answer:
        answer.raise_for_status()
        async for chunk in answer.aiter_bytes():
            digest.update(chunk)
    return digest.hexdigest()


def _summary(transfers: list[Transfer], size_mb: float) -> dict[str, Any]:
    rates = [size_mb / transfer.seconds for transfer in transfers]
    names = list(transfers[0].growth_mb)
    # The worst repetition of each process: the goal is about what a process may have to hold at once.
    growth = {name: max(transfer.growth_mb[name] for transfer in transfers) for name in names}
    busiest = max(names, key=lambda name: growth[name])
    return {"mb_per_s": round(statistics.median(rates), 1), "mb_per_s_each": [round(value, 1) for value in rates],
            "peak_growth_mb": growth,
            "peak_growth_mb_each": {name: [transfer.growth_mb[name] for transfer in transfers] for name in names},
            "busiest": busiest, "busiest_file_sizes": round(growth[busiest] / size_mb, 2),
            "peaks_reset": all(transfer.peaks_reset for transfer in transfers)}
