"""Payment's outside world: its collections (payment requests, transaction references, refused reports) and
the online payment providers (`providers/`: one port, the sandbox and VNPay)."""
