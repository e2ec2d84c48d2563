"""What is wrong with an import file, one line each, all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem, printed as `名单.xlsx 第 12 行 身份证号: 校验位不对` (line 0: the whole file)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.file}: {self.message}"
        where = f"{self.file} 第 {self.line} 行"
        return (
            f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportRefused(Exception):
    """The file has problems; `problems` lists every one of them, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        # By line; within a line in the order found (the order of the columns).
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))
