"""City resolution against the real cpca table, and city profiles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from advisor.places import regions
from advisor.places.cities import CityError, CityMatch, all_city_names, resolve_city, suggest_cities
from advisor.planning import profile as profile_module
from advisor.planning.profile import CityProfile, ProfileError, load_profile, missing_facts, profile_from_dict

# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("name", "full_name", "province", "province_short", "prefecture", "level"),
    [
        ("合肥", "安徽省合肥市", "安徽省", "安徽", "合肥市", "prefecture"),
        ("合肥市", "安徽省合肥市", "安徽省", "安徽", "合肥市", "prefecture"),
        ("  合肥 ", "安徽省合肥市", "安徽省", "安徽", "合肥市", "prefecture"),
        ("合肥市（安徽省）", "安徽省合肥市", "安徽省", "安徽", "合肥市", "prefecture"),
        ("乌鲁木齐", "新疆维吾尔自治区乌鲁木齐市", "新疆维吾尔自治区", "新疆", "乌鲁木齐市", "prefecture"),
        ("成都", "四川省成都市", "四川省", "四川", "成都市", "prefecture"),
        ("南宁", "广西壮族自治区南宁市", "广西壮族自治区", "广西", "南宁市", "prefecture"),
        ("鄂尔多斯", "内蒙古自治区鄂尔多斯市", "内蒙古自治区", "内蒙古", "鄂尔多斯市", "prefecture"),
        ("北京", "北京市", "北京市", "北京", "北京市", "municipality"),
        ("上海市", "上海市", "上海市", "上海", "上海市", "municipality"),
        ("重庆", "重庆市", "重庆市", "重庆", "重庆市", "municipality"),
        ("昆山", "江苏省苏州市昆山市", "江苏省", "江苏", "苏州市", "county"),
        ("义乌市", "浙江省金华市义乌市", "浙江省", "浙江", "金华市", "county"),
        ("晋江", "福建省泉州市晋江市", "福建省", "福建", "泉州市", "county"),
        ("江苏 苏州 昆山", "江苏省苏州市昆山市", "江苏省", "江苏", "苏州市", "county"),
        ("仙桃", "湖北省仙桃市", "湖北省", "湖北", "仙桃市", "county"),  # 省直辖县级市
        ("延边", "吉林省延边朝鲜族自治州", "吉林省", "吉林", "延边朝鲜族自治州", "prefecture"),
        ("延边朝鲜族自治州", "吉林省延边朝鲜族自治州", "吉林省", "吉林", "延边朝鲜族自治州", "prefecture"),
        ("恩施州", "湖北省恩施土家族苗族自治州", "湖北省", "湖北", "恩施土家族苗族自治州", "prefecture"),
        ("兴安盟", "内蒙古自治区兴安盟", "内蒙古自治区", "内蒙古", "兴安盟", "prefecture"),
        ("大兴安岭", "黑龙江省大兴安岭地区", "黑龙江省", "黑龙江", "大兴安岭地区", "prefecture"),
        ("辽宁朝阳", "辽宁省朝阳市", "辽宁省", "辽宁", "朝阳市", "prefecture"),
        ("辽宁省朝阳市", "辽宁省朝阳市", "辽宁省", "辽宁", "朝阳市", "prefecture"),
        ("朝阳市", "辽宁省朝阳市", "辽宁省", "辽宁", "朝阳市", "prefecture"),
        ("抚顺", "辽宁省抚顺市", "辽宁省", "辽宁", "抚顺市", "prefecture"),  # 抚顺县 lies inside 抚顺市
        ("那曲", "西藏自治区那曲市", "西藏自治区", "西藏", "那曲市", "prefecture"),  # patched rename
        ("北京市朝阳区", "北京市朝阳区", "北京市", "北京", "北京市", "district"),
        ("北京朝阳", "北京市朝阳区", "北京市", "北京", "北京市", "district"),
        ("浦东", "上海市浦东新区", "上海市", "上海", "上海市", "district"),
        ("长春市朝阳区", "吉林省长春市朝阳区", "吉林省", "吉林", "长春市", "district"),
    ],
)
def test_resolve_city(
    name: str, full_name: str, province: str, province_short: str, prefecture: str, level: str
) -> None:
    match = resolve_city(name)
    assert isinstance(match, CityMatch)
    assert (match.full_name, match.province, match.province_short, match.prefecture, match.level) == (
        full_name,
        province,
        province_short,
        prefecture,
        level,
    )
    assert re.fullmatch(r"\d{6}", match.adcode)


def test_match_fields() -> None:
    hefei = resolve_city("合肥")
    assert (hefei.name, hefei.short, hefei.adcode) == ("合肥市", "合肥", "340100")
    kunshan = resolve_city("昆山")
    assert (kunshan.name, kunshan.short, kunshan.adcode) == ("昆山市", "昆山", "320583")
    assert resolve_city("北京").adcode == "110000"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("朝阳", ["辽宁省朝阳市", "北京市朝阳区"]),
        ("通州", ["北京市通州区", "江苏省南通市通州区"]),
        ("鼓楼", ["江苏省南京市鼓楼区", "福建省福州市鼓楼区"]),
        ("朝阳区", ["北京市朝阳区", "吉林省长春市朝阳区"]),
        ("吉林", ["吉林省吉林市"]),  # the province and the city
        ("大理", ["云南省大理白族自治州", "云南省大理白族自治州大理市"]),
    ],
)
def test_ambiguous_names_list_candidates(name: str, expected: list[str]) -> None:
    with pytest.raises(CityError) as info:
        resolve_city(name)
    message = str(info.value)
    assert f"“{name}”有多个匹配" in message and "请写全称" in message
    for candidate in expected:
        assert candidate in info.value.candidates
        assert candidate in message
        resolve_city(candidate)  # every candidate is itself accepted


def test_chaoyang_message_order() -> None:
    with pytest.raises(
        CityError, match=r"“朝阳”有多个匹配：辽宁省朝阳市、北京市朝阳区.*请写全称，如“辽宁省朝阳市”"
    ):
        resolve_city("朝阳")


def test_prefer_cities_only_over_districts_of_prefecture_level_cities() -> None:
    with pytest.raises(CityError):
        resolve_city("西安")  # 辽源市西安区, 牡丹江市西安区
    assert resolve_city("西安", prefer_cities=True).full_name == "陕西省西安市"
    assert resolve_city("西安市").full_name == "陕西省西安市"
    for name in ("朝阳", "通州", "吉林", "阿克苏"):
        with pytest.raises(CityError):
            resolve_city(name, prefer_cities=True)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("", "请填写城市名称"),
        ("   ", "请填写城市名称"),
        ("、 /", "请填写城市名称"),
        ("不存在市", "未找到城市“不存在市”"),
        ("Hefei", "请使用中文地名"),
        ("合肥123", "只能包含汉字"),
        ("？？", "只能包含汉字"),
        ("合" * 60, "城市名称过长"),
        ("吉林省", "是省级行政区，不是城市"),
        ("香港", "暂不在支持范围内"),
        ("肥西县", "安徽省合肥市下辖的县级行政区"),
        ("定安县", "海南省直辖的县级行政区"),
        ("莱芜", "并入济南市|划归济南市"),
    ],
)
def test_rejected_names(name: str, pattern: str) -> None:
    with pytest.raises(CityError, match=pattern):
        resolve_city(name)


def test_rejections_suggest_what_to_write() -> None:
    with pytest.raises(CityError) as info:
        resolve_city("肥西")
    assert info.value.candidates == ["安徽省合肥市"]
    with pytest.raises(CityError) as info:
        resolve_city("安徽成都")
    assert info.value.candidates == ["四川省成都市"]
    with pytest.raises(CityError) as info:
        resolve_city("吉林省")
    assert "吉林省长春市" in info.value.candidates
    assert issubclass(CityError, ValueError)


def _prefecture_level() -> list[tuple[str, str, tuple[str, ...]]]:
    """(full name, adcode, short forms) of every municipality and prefecture-level unit in the table."""
    return [(e.name, e.adcode, e.shorts) for e in regions.table().cities if e.kind != "county"]


PREFECTURES = _prefecture_level()


def test_table_size() -> None:
    assert 330 <= len(PREFECTURES) <= 345
    names = all_city_names()
    assert len(names) == len(set(names)) > 650


@pytest.mark.parametrize(("name", "adcode", "shorts"), PREFECTURES, ids=[p[0] for p in PREFECTURES])
def test_every_prefecture_resolves_to_itself_or_is_ambiguous(
    name: str, adcode: str, shorts: tuple[str, ...]
) -> None:
    city = resolve_city(name)  # the full name is never ambiguous
    assert city.adcode == adcode and city.level in ("municipality", "prefecture")
    for short in shorts:
        try:
            assert resolve_city(short).adcode == adcode, short
        except CityError as exc:
            assert city.full_name in exc.candidates, str(exc)


def test_all_city_names_round_trip() -> None:
    names = all_city_names()
    assert "安徽省 合肥市" in names and "江苏省 苏州市 昆山市" in names and "北京市" in names
    for name in names:
        assert resolve_city(name).full_name == name.replace(" ", "")


def test_suggest_cities() -> None:
    assert "安徽省 合肥市" in suggest_cities("合")
    assert suggest_cities("合肥")[0] == "安徽省 合肥市"
    assert suggest_cities("苏州昆") == ["江苏省 苏州市 昆山市"]
    anhui = suggest_cities("安徽", limit=50)
    assert anhui[0] == "安徽省 合肥市" and all(s.startswith("安徽省 ") for s in anhui)
    assert len(suggest_cities("安徽", limit=3)) == 3
    assert suggest_cities("") == [] and suggest_cities("合", limit=0) == []
    assert suggest_cities("不存在") == []


# --------------------------------------------------------------------------- profiles

HEFEI_YAML = """\
支柱产业: 新型显示、集成电路，新能源汽车
高校:
  - 中国科学技术大学
  - 合肥工业大学
算力: 合肥先进计算中心
园区: [中国声谷, 合肥高新区]
基金: 合肥市天使投资基金
优势: 量子信息；语音产业集聚
短板/约束: |
  高端人才外流
  算力电价偏高
备注: 2024 年数据
"""


def test_load_profile_yaml_with_chinese_keys(tmp_path: Path) -> None:
    path = tmp_path / "hefei.yaml"
    path.write_text(HEFEI_YAML, encoding="utf-8")
    profile = load_profile(path)
    assert profile.pillar_industries == ["新型显示", "集成电路", "新能源汽车"]
    assert profile.universities == ["中国科学技术大学", "合肥工业大学"]
    assert profile.compute == ["合肥先进计算中心"]
    assert profile.parks == ["中国声谷", "合肥高新区"]
    assert profile.funds == ["合肥市天使投资基金"]
    assert profile.strengths == ["量子信息", "语音产业集聚"]
    assert profile.constraints == ["高端人才外流", "算力电价偏高"]
    assert profile.notes == "2024 年数据"
    assert missing_facts(profile) == []


def test_load_profile_json_with_english_keys(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"compute": ["A 智算中心", "A 智算中心"], "notes": "x"}), encoding="utf-8")
    profile = load_profile(str(path))
    assert profile.compute == ["A 智算中心"]  # duplicates dropped
    assert profile.model_dump()["notes"] == "x"


def test_module_docstring_example_is_a_valid_profile(tmp_path: Path) -> None:
    doc = profile_module.__doc__ or ""
    example = doc.split("newlines::", 1)[1]
    lines = [line[4:] for line in example.splitlines() if line.startswith("    ")]
    path = tmp_path / "example.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    profile = load_profile(path)
    assert profile.universities and profile.parks and profile.constraints


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("支柱产业: [新能源\n高校: x\n", "不是有效的 YAML（第 \\d+ 行"),
        ("人口: 900万\n", "未知字段“人口”.*可用字段：.*支柱产业.*pillar_industries"),
        ("高校: a\nuniversities: b\n", "是同一字段"),
        ("- 合肥\n- 芜湖\n", "应为“键: 值”的映射"),
        ("算力:\n  - 名称: a\n", "每一项都应为文字"),
    ],
)
def test_bad_profiles(tmp_path: Path, content: str, pattern: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError, match=pattern):
        load_profile(path)


def test_profile_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="找不到城市概况文件"):
        load_profile(tmp_path / "missing.yaml")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{", encoding="utf-8")
    with pytest.raises(ProfileError, match="不是有效的 JSON"):
        load_profile(bad_json)
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("支柱产业: 汽车".encode("gbk"))
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(gbk)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_profile(empty) == CityProfile()
    assert issubclass(ProfileError, ValueError)


def test_profile_from_dict() -> None:
    profile = profile_from_dict({"支柱产业": "汽车, 家电", "园区": None, "备注": ["a", "b"], "Funds": 3})
    assert profile.pillar_industries == ["汽车", "家电"]
    assert profile.parks == [] and profile.notes == "a；b" and profile.funds == ["3"]
    with pytest.raises(ProfileError, match="未知字段"):
        profile_from_dict({"city": "合肥"})


def test_missing_facts() -> None:
    all_missing = missing_facts(None)
    assert len(all_missing) == 7 and all(m.startswith("待补充：") for m in all_missing)
    assert "待补充：本市现有算力规模（智算中心、数据中心及其算力）" in all_missing
    assert missing_facts(CityProfile()) == all_missing
    partial = missing_facts(CityProfile(compute=["合肥先进计算中心"], notes="仅备注"))
    assert len(partial) == 6 and not any("算力" in m for m in partial)
