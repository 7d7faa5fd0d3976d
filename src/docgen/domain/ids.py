"""The forms of the process's ids: ``agreement`` (a stage, step, mode or document), an item.

An item's id is its step's and its own: ``agreement.legal-review``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
ItemId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")]
