"""Why a whole batch is refused: one clear line naming the file, the check and the expectation."""

from __future__ import annotations


class BatchRejected(Exception):
    """A batch-level failure: the batch is not loaded and the warehouse stays as it was."""

    def __init__(self, file: str, check: str, expected: str, found: str) -> None:
        self.file = file
        self.check = check
        self.expected = expected
        self.found = found
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.file}: {self.check} failed: expected {self.expected}; found {self.found}"
