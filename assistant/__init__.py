"""巡察整改进展情况通报审核助手: ingest notices, extract rectification records, flag vague claims."""

__version__ = "0.1.0"
