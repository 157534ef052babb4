"""The gateway's FastAPI routers, the public `/v1` API: one module per resource.

Beside them, what only they use: `consistency` (read-your-writes), `search` (the advanced search),
`rate_limit` (the lookup's), `middleware` (the body cap).
"""
