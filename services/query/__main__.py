"""`python -m services.query`: the query service as its own process."""

from services.query.bootstrap import bootstrap
from services.query.settings import QuerySettings
from shared.process import run_service

run_service("query", QuerySettings, bootstrap)
