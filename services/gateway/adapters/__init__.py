"""The outside world behind the gateway's routes.

`backends`: the services' internal APIs; `tokens`: the identity provider's bearer tokens (and the
development ones); `rate_limit`: the lookup's request counts per client, in this process's memory.
"""
