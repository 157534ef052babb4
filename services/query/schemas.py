"""Query's own answers on its internal API: the read-your-writes wait and the operators' rebuild.

The dossiers' shapes are the read model's contract with its readers, in shared/read_model.py.
"""

from pydantic import BaseModel, Field


class VersionReached(BaseModel):
    id: str
    version: int | None = Field(description="The version the read model holds; null when it has none")
    reached: bool


class Rebuilt(BaseModel):
    dossiers: int
