"""`audit config show`: the effective settings (keys masked) and which mode the tool runs in."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from assistant.cli.app import command_group

if TYPE_CHECKING:
    from assistant.settings import Settings

config_app = command_group("config", "查看当前设置。")
console = Console()


def env_names(settings: Settings) -> dict[str, str]:
    """The environment variable that sets each field (its first alias)."""
    out = {}
    for name, field in type(settings).model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None) or []
        env = next((c for c in choices if isinstance(c, str) and c != name), "")
        out[name] = env
    return out


def mode_lines(settings: Settings) -> dict[str, str]:
    """Plain-language mode of each part: extraction/answers and embeddings."""
    if settings.llm_configured:
        where = settings.base_url or "OpenAI 默认地址"
        method = settings.structured_method
        known = _remembered_method(settings)
        if known:
            method += f"，已知该接口接受 {known}"
        llm = (
            f"大模型：{settings.model} @ {where}（结构化输出方式 {method}，"
            f"并发 {settings.concurrency}，超时 {settings.timeout:g} 秒，重试 {settings.max_retries} 次）；"
            "可用 --extractor llm 或 hybrid"
        )
    else:
        llm = "离线：规则抽取、抽取式回答（设置 AUDIT_MODEL 以及 OPENAI_BASE_URL 或 OPENAI_API_KEY 后可用大模型）"
    if settings.embeddings_configured:
        emb = f"向量接口：{settings.embeddings_model} @ {settings.embeddings_base_url}"
    else:
        emb = "离线向量：字符 n-gram 哈希（无需下载模型）"
    return {"llm": llm, "embeddings": emb}


def _remembered_method(settings: Settings) -> str | None:
    """The structured-output method an earlier run found this endpoint accepts."""
    from assistant.providers.caller import METHODS_MEMO

    try:
        memo = json.loads((settings.cache_dir / "llm" / METHODS_MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = memo.get(f"{settings.base_url or 'default'}|{settings.model}") if isinstance(memo, dict) else None
    return value if isinstance(value, str) else None


def _cached_answers(settings: Settings) -> int:
    root = settings.cache_dir / "llm"
    return sum(1 for path in root.rglob("*.json") if path.parent != root) if root.is_dir() else 0


@config_app.command("show", short_help="显示当前设置及其来源")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """显示当前生效的设置（密钥已遮盖）和运行模式（离线或大模型）。

    设置来自环境变量，其次是 audit.toml（或 $AUDIT_CONFIG 指定的文件），最后是默认值。
    """
    from assistant.settings import (
        CONFIG_FILE_ENV,
        DEFAULT_CONFIG_FILE,
        config_file,
        get_settings,
        user_config_file,
    )

    get_settings.cache_clear()
    settings = get_settings()
    found = config_file()
    masked = settings.masked()
    modes = mode_lines(settings)
    if as_json:
        data: dict[str, Any] = {
            "mode": "llm" if settings.llm_configured else "offline",
            "embeddings": "endpoint" if settings.embeddings_configured else "offline",
            "config_file": str(found) if found else None,
            "store_dir": str(Path(settings.store_dir).resolve()),
            "store_source": settings.store_source,
            "settings": masked,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    console.print(f"[bold]抽取与问答[/bold]：{modes['llm']}")
    console.print(f"[bold]检索向量[/bold]：{modes['embeddings']}")
    if found:
        source = f"{found}（已读取）"
    else:
        named = os.environ.get(CONFIG_FILE_ENV)
        source = f"未找到（查找了 {named or f'./{DEFAULT_CONFIG_FILE} 和 {user_config_file()}'}）"
    console.print(f"[bold]配置文件[/bold]：{source}", highlight=False)
    console.print(
        f"[bold]通报库[/bold]：{Path(settings.store_dir).resolve()}（来自{settings.store_source}）",
        highlight=False,
    )
    if settings.database_url:
        console.print(f"[bold]数据库[/bold]：{masked['database_url']}", highlight=False)
    console.print(
        f"[bold]大模型缓存[/bold]：{settings.cache_dir}（已缓存 {_cached_answers(settings)} 个回答）"
    )
    table = Table(title="当前生效的设置")
    table.add_column("设置项")
    table.add_column("环境变量")
    table.add_column("值")
    envs = env_names(settings)
    for name, value in masked.items():
        table.add_row(name, envs.get(name, ""), "—" if value is None else str(value))
    console.print(table)
