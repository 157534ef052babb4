"""The gateway's FastAPI routers, the public `/v1` API: one module per resource.

Beside them, what only they use: `consistency` (read-your-writes), `search` (the advanced search),
`middleware` (the body cap).
"""
