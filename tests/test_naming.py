"""Notices named for people: `单位 · 发布日期` (and the round), the file name second."""

from __future__ import annotations

import datetime as dt

from assistant.naming import NoticeName, distinct_labels, flag_label, names_by_notice, round_of
from assistant.store import StoredNotice


def test_label_is_unit_and_chinese_date_with_the_round_when_the_title_names_it():
    name = NoticeName.of(
        "004_fb4d16d8d0ed6c2d.txt",
        "中共新野县交通运输局党组",
        dt.date(2024, 6, 3),
        title="中共新野县交通运输局党组关于十三届县委第八轮巡察整改情况的通报",
    )
    assert name.label == "中共新野县交通运输局党组 · 2024年6月3日 · 十三届县委第八轮巡察"
    assert name.with_file == f"{name.label}（004_fb4d16d8d0ed6c2d.txt）"
    assert name.unit == "中共新野县交通运输局党组"


def test_a_missing_date_is_said_and_a_missing_unit_falls_back_to_the_file():
    assert NoticeName.of("a.txt", "望江县公安局交通管理大队").label == "望江县公安局交通管理大队 · 日期未注明"
    nameless = NoticeName.of("通报.txt", None, dt.date(2024, 1, 2))
    assert (nameless.label, nameless.unit) == ("通报.txt", "通报.txt")


def test_rounds_are_read_from_general_patterns():
    assert round_of(None, "关于市委第三轮巡视反馈意见整改情况的通报") == "市委第三轮巡视"
    assert round_of("区委第12轮巡察") == "区委第12轮巡察"
    assert round_of("关于巡察整改进展情况的通报") is None


def test_two_notices_sharing_a_label_are_told_apart_by_file():
    same = [NoticeName.of(f, "某局党组", dt.date(2024, 1, 2)) for f in ("a.txt", "b.txt")]
    other = NoticeName.of("c.txt", "另一局党组", dt.date(2024, 1, 2))
    assert distinct_labels([*same, other]) == [
        "某局党组 · 2024年1月2日（a.txt）",
        "某局党组 · 2024年1月2日（b.txt）",
        "另一局党组 · 2024年1月2日",
    ]
    stored = StoredNotice(
        notice_id="n1", source_name="a.txt", organisation="某局党组", added_at=dt.datetime(2025, 1, 1)
    )
    assert names_by_notice([stored]) == {"n1": "某局党组 · 日期未注明"}


def test_flag_codes_have_chinese_labels():
    assert flag_label("vague_completion") == "声称完成但措施空泛"
    assert flag_label("unknown_code") == "unknown_code"
