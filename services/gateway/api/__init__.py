"""The gateway's FastAPI routers, the public `/v1` API: one module per resource.

Beside them, what they share: `schemas` (the gateway's own shapes), `consistency` (read-your-writes),
`search` (the advanced search), `rate_limit` (the lookup's), `middleware` (the body cap).
"""
