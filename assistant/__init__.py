"""巡察整改进展情况通报审核助手: ingest notices, extract rectification records, flag vague claims.

The front door, for Python users::

    import assistant as au

    result = au.extract("examples/notices/000_097681a73ff5d2da.txt")   # a path, or the notice's text
    for record in result.records:
        print(record.problem, record.status, [f.code for f in record.flags])
    batch = au.extract_files(["examples/notices"])                    # folders too; errors per file
    au.write_results(batch.results, "out/records.xlsx")
    store = au.open_store("vectorstore")
    store.add(au.extract_files(["examples/notices"]).processed[0])
    print(au.ask("哪些问题是阶段性完成的？", store).text)

Names are imported on first use, so `import assistant` stays light.
"""

from __future__ import annotations

from assistant.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # verbs
    "load_notice": "assistant.api",
    "extract": "assistant.api",
    "extract_files": "assistant.api",
    "open_store": "assistant.api",
    "ask": "assistant.api",
    "write_results": "assistant.api",
    # the models that cross stages
    "Notice": "assistant.models",
    "NoticeMeta": "assistant.models",
    "NoticeResult": "assistant.models",
    "Record": "assistant.models",
    "Measure": "assistant.models",
    "Evidence": "assistant.models",
    "EvidenceType": "assistant.models",
    "Flag": "assistant.models",
    "FlagCode": "assistant.models",
    "Severity": "assistant.models",
    "Span": "assistant.models",
    "Status": "assistant.models",
    "Totals": "assistant.models",
    "Answer": "assistant.qa.models",
    # errors
    "AuditError": "assistant.errors",
}

__all__ = [*_EXPORTS, "__version__"]


__getattr__ = lazy_exports("assistant", _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
