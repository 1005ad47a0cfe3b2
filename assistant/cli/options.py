"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="并行处理的进程数（默认：规则抽取用全部 CPU 核，大模型抽取用配置的并发数）",
    ),
]
