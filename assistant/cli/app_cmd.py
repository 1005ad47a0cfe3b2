"""`audit app`: start the Streamlit app (streamlit_app.py at the repository root), headless."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.cli.app import app
from assistant.paths import REPO_ROOT, app_script

err_console = Console(stderr=True)
MAX_UPLOAD_MB = 20  # = assistant.ingest.loaders.MAX_BYTES, without importing the loaders at start-up


def streamlit_command(script: Path, port: int, address: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    # no reloading on source changes: cached stores hold objects of the classes first imported
    cmd += ["--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"]
    cmd += ["--server.maxUploadSize", str(MAX_UPLOAD_MB)]  # the uploader's limit is the loader's
    if address:
        cmd += ["--server.address", address]
    return cmd


@app.command(name="app", short_help="启动网页应用（问答、记录、存疑清单、导入）")
def run_app(
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="监听端口")] = 8501,
    address: Annotated[
        str,
        typer.Option(
            "--address", "--host", help="监听地址：默认 127.0.0.1 仅本机可访问；0.0.0.0 供局域网访问"
        ),
    ] = "127.0.0.1",
    store_dir: Annotated[
        Path | None, typer.Option("--store", help="存储目录（默认 AUDIT_STORE_DIR 或 vectorstore/）")
    ] = None,
) -> None:
    """启动网页应用（问答、整改记录、存疑清单、导入、概览）。首次启动且库为空时自动导入示例通报。"""
    script = app_script()
    if not script.is_file():
        err_console.print(
            f"[red]找不到 streamlit_app.py[/red]（查找了 {REPO_ROOT} 和当前目录）。请在项目根目录运行。"
        )
        raise typer.Exit(2)
    env = dict(os.environ)
    if store_dir is not None:
        env["AUDIT_STORE_DIR"] = str(store_dir.expanduser().resolve())
    where = "localhost" if address == "127.0.0.1" else address
    reach = (
        "仅本机可访问"
        if address in ("127.0.0.1", "localhost", "::1")
        else "局域网内其他电脑也可访问，请注意数据安全"
    )
    err_console.print(f"应用地址：[bold]http://{where}:{port}[/bold]（监听 {address}，{reach}）　Ctrl+C 停止")
    proc = subprocess.Popen(streamlit_command(script, port, address), env=env)
    # stopping `audit app` stops the server too (a terminal's Ctrl+C reaches both already)
    signal.signal(signal.SIGTERM, lambda signum, _frame: proc.send_signal(signum))
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
    raise typer.Exit(0 if code in (0, -signal.SIGINT, -signal.SIGTERM) else code)
