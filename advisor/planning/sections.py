"""The seven sections of a city plan, following the report's methodology (甲子光年智库 2023).

Each section names its retrieval queries and its *topics*. A topic is one recommendation slot: a fixed
action title (the template), who leads it, its time horizon, the query that finds its evidence, and the
terms that evidence must contain. The extractive plan fills every topic with the best verbatim sentence
it retrieves; the LLM plan is given the same evidence and verified against it.

Placeholders in queries and titles: ``{city}`` (合肥市), ``{short}`` (合肥), ``{province}`` (安徽省),
``{province_short}`` (安徽), ``{doc}`` (short title of the cited document, local topics only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NEAR = "近期（1年内）"
MID = "中期（1–3年）"
FAR = "远期（3–5年）"
HORIZONS = (NEAR, MID, FAR)

Scope = Literal["any", "report", "national", "local", "province_quote", "region_mention"]

GOV = "市人民政府"
DRC = "市发展改革部门"
MIIT = "市工业和信息化部门"
SCI = "市科技部门"
CAC = "市网信部门"


@dataclass(frozen=True)
class Topic:
    """One recommendation slot of a section."""

    key: str
    title: str
    actor: str
    horizon: str
    query: str
    terms: tuple[str, ...] = ()
    scope: Scope = "any"
    doc_hint: str = ""  # prefer the document whose title contains this (e.g. 深度合成)
    pinned: bool = False  # kept even when an LLM writes the section (province quote, local rules)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    focus: str  # what the section is about, for the prompt and the summary
    summary: str  # extractive summary; {subject} = "合肥市（安徽省）"
    queries: tuple[str, ...]
    topics: tuple[Topic, ...]
    facts: tuple[str, ...] = ()  # CityProfile fields the section relies on


# Macro-regions named by national plans, and the provinces they span (for "region_mention" topics).
MACRO_REGIONS: dict[str, tuple[str, ...]] = {
    "京津冀": ("北京", "天津", "河北"),
    "长三角": ("上海", "江苏", "浙江", "安徽"),
    "粤港澳大湾区": ("广东",),
    "成渝": ("四川", "重庆"),
}

INDICATORS = (
    "人工智能核心产业规模",
    "人工智能企业数量（含专精特新企业）",
    "智能算力规模与利用率",
    "开放的人工智能应用场景数量",
    "产业基金投资额与带动社会资本规模",
    "重点人才与团队引进数量",
    "产学研合作及成果转化项目数",
    "完成安全评估或备案的生成式人工智能服务数量",
)

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        key="situation",
        title="形势与机遇",
        focus="把握历史进程、产业升级、产业集群化、新一代数字技术革命、生产力进化五大历史机遇，衔接本省部署",
        summary=(
            "{subject}应抓住新时代的五大历史机遇——历史进程、产业升级、产业集群化、新一代数字技术革命和"
            "生产力进化，谋划本地人工智能产业蓝图。"
        ),
        queries=(
            "{province}{city} 抓住新时代的五大历史机遇期绘蓝图",
            "{province} “十四五” 数字产业 新兴产业 部署",
            "中国式现代化 产业集群 通用人工智能 AIGC 生产力",
        ),
        topics=(
            Topic(
                "province",
                "衔接{province}“十四五”数字经济部署",
                DRC,
                NEAR,
                "{province} {province_short} “十四五”期间 产业",
                scope="province_quote",
                pinned=True,
            ),
            Topic(
                "history",
                "把握中国式现代化进程中的历史机遇",
                GOV,
                NEAR,
                "历史进程的机遇 中国式现代化 新发展格局",
                ("中国式现代化", "新发展格局"),
                "report",
            ),
            Topic(
                "upgrade",
                "推进传统产业优化升级，实施“上云用数赋智”",
                MIIT,
                MID,
                "产业升级的机遇 推进传统产业优化升级 上云用数赋智 实体经济融合应用",
                ("上云用数赋智", "优化升级", "实体经济"),
                "report",
            ),
            Topic(
                "cluster",
                "以产业集群化构建本地人工智能产业共同体",
                DRC,
                MID,
                "产业集群化的机遇 产业共同体 产业集群 经济发展重要抓手",
                ("产业集群", "产业共同体"),
                "report",
            ),
            Topic(
                "tech",
                "紧跟通用人工智能与AIGC技术革命",
                SCI,
                MID,
                "新一代数字技术革命 通用人工智能 AIGC技术打开智能新世代",
                ("通用人工智能", "AIGC", "技术革命"),
                "report",
            ),
            Topic(
                "productivity",
                "推动企业拥抱数字化与智能化，实现生产力进化",
                MIIT,
                MID,
                "生产力进化的机遇 脑力效率飞跃 企业拥抱数字化与智能化",
                ("生产力", "脑力效率"),
                "report",
            ),
        ),
    ),
    SectionSpec(
        key="strategy",
        title="总体思路与定位",
        focus="顶层设计与地方配套，立足本地产业特色确定发展定位，由数据驱动向智能驱动转型",
        summary=(
            "{subject}应坚持顶层设计引导、地方配套落实，根据中央定调和政策指导，立足本地产业特色编制发展规划、"
            "确定人工智能产业的发展定位，推动人工智能与实体经济深度融合。"
        ),
        queries=(
            "地方政府 制定符合当地产业特色的发展规划 产业扶持政策",
            "人工智能+ 行动 总体要求 与经济社会各行业各领域广泛深度融合",
            "区域特色 特色产业集群 产业链集聚效应 区域协同效应",
        ),
        topics=(
            Topic(
                "plan",
                "立足本地产业特色编制人工智能产业发展规划",
                DRC,
                NEAR,
                "市场培育 地方政府 中央定调 政策指导 符合当地产业特色的发展规划",
                ("当地产业特色", "发展规划"),
                "report",
            ),
            Topic(
                "regional",
                "发挥区域特色，打造特色产业集群",
                DRC,
                MID,
                "注重发挥区域特色 打造特色产业集群 产业链集聚效应 区域协同效应",
                ("区域特色", "区域协同"),
                "report",
            ),
            Topic(
                "model",
                "以产业集群为抓手，坚持顶层设计引导、地方配套",
                GOV,
                NEAR,
                "从经济发展的动力引擎看 中国式现代化需要产业集群的胜利 顶层设计有导向 地方有配套",
                ("产业集群的胜利", "顶层设计", "地方有配套"),
                "report",
            ),
            Topic(
                "intelligent",
                "推动企业由数据驱动向智能驱动转型",
                MIIT,
                MID,
                "智能化转型 政府要抓住生产力进化的机遇 鼓励企业实现由数据驱动向智能驱动转型",
                ("智能驱动", "数据要素驱动"),
                "report",
            ),
            Topic(
                "ai_plus",
                "实施“人工智能+”行动，推动产业全要素智能化",
                GOV,
                MID,
                "鼓励有条件的企业将人工智能融入战略规划 推动产业全要素智能化发展 助力传统产业改造升级",
                ("全要素智能化", "融入战略规划", "深度融合"),
                "national",
                doc_hint="人工智能+",
            ),
        ),
        facts=("pillar_industries", "strengths", "constraints"),
    ),
    SectionSpec(
        key="chain",
        title="产业链布局",
        focus="梳理安全层、能源层、算力层、平台层、基础模型层、中间层、应用层的布局，地方政府聚焦能源、算力、应用",
        summary=(
            "{subject}的产业链布局应覆盖安全层、能源层、算力层、平台层、基础模型层、中间层和应用层；"
            "地方政府重点抓能源层、算力层和应用层的区域发展规划、产业园布局、招商引资和政策支持，"
            "并做好安全合规管理。"
        ),
        queries=(
            "梳理区域产业链布局 AIGC产业链核心角色 关键环节 全产业链布局",
            "产业链环节注重能源层、算力层和应用层的区域发展规划 产业园布局",
            "{city} 算力基础设施 智能计算 绿色数据中心",
        ),
        topics=(
            Topic(
                "focus",
                "聚焦能源层、算力层和应用层开展区域规划与招商",
                DRC,
                NEAR,
                "产业链布局重点关注环节 能源层 算力层 应用层 区域发展规划 产业园布局 招商引资 安全合规",
                ("能源层、算力层和应用层",),
                "report",
            ),
            Topic(
                "government",
                "由政府方统筹安全层、能源层和算力层",
                GOV,
                NEAR,
                "政府方更注重在AI安全层、能源层和算力层的布局与推动",
                ("政府方更注重",),
                "report",
            ),
            Topic(
                "energy",
                "统筹能源保障，建设绿色低碳数据中心",
                DRC,
                MID,
                "绿色数据中心 能源 节能 可再生能源 低碳 算力",
                ("绿色", "能源", "能效"),
            ),
            Topic(
                "hub",
                "对接全国一体化算力网络国家枢纽节点布局",
                DRC,
                MID,
                "全国一体化算力网络国家枢纽节点 布局 数据中心集群 东数西算",
                ("枢纽",),
                "region_mention",
                pinned=True,
            ),
            Topic(
                "compute",
                "统筹建设智能算力基础设施",
                DRC,
                MID,
                "强化智能算力统筹 智算集群 全国一体化算力网 东数西算 智能算力基础设施",
                ("算力",),
                "national",
            ),
            Topic(
                "compute_local",
                "依据《{doc}》推进算力与数据中心建设",
                DRC,
                MID,
                "算力基础设施 数据中心 智能计算 产业基础设施建设",
                ("算力", "数据中心", "计算"),
                "local",
                pinned=True,
            ),
            Topic(
                "platform",
                "引育平台层、基础模型层和中间层企业",
                MIIT,
                MID,
                "供给方更注重算力层、平台层、基础模型层、中间层等环节",
                ("基础模型层", "平台层"),
                "report",
            ),
            Topic(
                "application",
                "面向应用层开放落地场景",
                MIIT,
                NEAR,
                "需求方更注重应用层的落地使用场景 应用场景 开放",
                ("应用层", "应用场景", "场景"),
            ),
        ),
        facts=("compute", "parks"),
    ),
    SectionSpec(
        key="tasks",
        title="重点任务",
        focus="按市场培育、基础设施、资本介入、技术研发四个环节推进，实施前瞻性布局、卡脖子强链补链、产业+投资全生命周期投促孵化、现代科技服务平台四项举措",
        summary=(
            "{subject}应按市场培育、基础设施、资本介入、技术研发四个环节推进实施，并落实四项具体举措："
            "紧贴未来技术趋势前瞻性布局、加强卡脖子领域强链补链、发挥产业+投资的牵引作用、构建现代科技服务平台。"
        ),
        queries=(
            "细化具体落实措施 市场培育 基础设施 资本介入 技术研发",
            "地方政府培育AI产业四项具体举措 前瞻性布局 卡脖子 强链补链",
            "产业基金 全生命周期投促孵化 现代科技服务平台",
        ),
        topics=(
            Topic(
                "market",
                "市场培育：出台产业扶持政策与执行计划",
                DRC,
                NEAR,
                "市场培育 出台产业扶持政策 落地措施 制定未来执行计划",
                ("产业扶持政策", "执行计划"),
                "report",
            ),
            Topic(
                "infrastructure",
                "建设以智算中心为代表的基础设施产业园",
                DRC,
                MID,
                "基础设施 构建以智算中心为代表的基础设施为特色的产业园 数字基础设施产业集群",
                ("智算中心",),
                "report",
            ),
            Topic(
                "capital",
                "设立专项扶持基金，招引特色企业入驻",
                "市财政部门、市属国有投资平台",
                MID,
                "资本介入 设立专项扶持基金 鼓励引进符合当地产业特色的企业入驻",
                ("专项扶持基金", "基金"),
                "report",
            ),
            Topic(
                "research",
                "支持底层技术研发，搭建产学研用科技服务体系",
                SCI,
                MID,
                "技术研发 鼓励辖区企业、院校和科研院所开展底层技术研发 产学研用",
                ("底层技术研发", "产学研"),
                "report",
            ),
            Topic(
                "foresight",
                "紧贴未来技术发展趋势进行前瞻性布局",
                SCI,
                FAR,
                "前瞻性布局 未来三到五年技术走向成熟的细分技术赛道 云计算 人工智能 区块链",
                ("前瞻性布局", "赋能产业机会"),
                "report",
            ),
            Topic(
                "chokepoint",
                "聚焦卡脖子领域强链补链",
                MIIT,
                FAR,
                "卡脖子 强链补链 芯片、操作系统、中间件、工业软件 重点突破方向",
                ("卡脖子", "强链补链", "工业软件"),
                "report",
            ),
            Topic(
                "fund",
                "以产业基金为抓手构建全生命周期投促孵化模式",
                "市属国有投资平台、投资方",
                MID,
                "以产业基金为抓手 全生命周期投促孵化模式 招大引强 投资促引进 投资孵化",
                ("产业基金", "投促孵化", "投资孵化", "投资促引进"),
                "report",
            ),
            Topic(
                "service",
                "构建覆盖全流程的现代科技服务平台",
                SCI,
                MID,
                "构建现代科技服务平台 科技服务链六大环节 全流程平台型科技企业",
                ("科技服务",),
                "report",
            ),
            Topic(
                "local_support",
                "依据《{doc}》落实资金、用地、人才等支持",
                GOV,
                MID,
                "统筹规划人工智能产业布局 资金 产业用地 人才 支持 促进",
                ("资金", "人才", "用地", "支持"),
                "local",
                pinned=True,
            ),
        ),
        facts=("funds", "parks", "universities"),
    ),
    SectionSpec(
        key="roles",
        title="角色分工",
        focus="明确政府方、供给方、需求方、学研方、投资方五类角色的职责与协同",
        summary=(
            "{subject}应明确人工智能产业体系中的五类核心角色——政府方、供给方、需求方、学研方和投资方——"
            "的分工与协同，不同角色共同发展，才能带动产业整体提升。"
        ),
        queries=(
            "关键角色梳理 供给方 需求方 学研方 投资方 政府方",
            "AGI产业链核心角色的对应关系 政府方更注重 供给方更注重",
        ),
        topics=(
            Topic(
                "government",
                "政府方：统筹规划、政策供给与安全合规",
                "政府方（市人民政府及有关部门）",
                NEAR,
                "政府方 主要包括国家级政府机构和地方政府机构",
                ("政府方",),
                "report",
            ),
            Topic(
                "supply",
                "供给方：集聚算法、数据、算力厂商与产业服务机构",
                "供给方（人工智能企业、产业协会、联盟、园区）",
                NEAR,
                "供给方 产业侧 服务侧 算法、数据、算力等各类厂商 产业协会 联盟 园区",
                ("供给方",),
                "report",
            ),
            Topic(
                "demand",
                "需求方：以企业和个人用户需求牵引应用落地",
                "需求方（企业用户、个人用户）",
                NEAR,
                "需求方 企业用户和个人用户 应用层的落地使用场景",
                ("需求方",),
                "report",
            ),
            Topic(
                "academia",
                "学研方：开展技术研发与科研成果转化",
                "学研方（高校、科研院所、成果转化机构）",
                MID,
                "学研方 大学研究机构 企业研究机构 科研成果转化服务机构 技术研发",
                ("学研方", "研学方"),
                "report",
            ),
            Topic(
                "investor",
                "投资方：投资产业链上下游优势初创企业",
                "投资方（产业基金、投资机构）",
                MID,
                "投资方 投资新一代人工智能产业链上下游企业 优势初创企业",
                ("投资方",),
                "report",
            ),
        ),
        facts=("universities", "funds"),
    ),
    SectionSpec(
        key="safeguards",
        title="保障措施与安全合规",
        focus="落实生成式人工智能服务管理、深度合成、生成合成内容标识、算法推荐等规定，执行本地法规，健全组织保障",
        summary=(
            "{subject}在培育产业的同时应统筹发展和安全：督促企业落实生成式人工智能服务管理、深度合成管理、"
            "生成合成内容标识、算法推荐管理等国家规定，并健全本地的组织、政策与治理保障。"
        ),
        queries=(
            "生成式人工智能服务 安全评估 算法备案 提供者 义务",
            "深度合成 生成合成内容 标识 算法推荐 管理规定",
            "{province}{city} 人工智能 伦理 安全 治理 促进 保障",
        ),
        topics=(
            Topic(
                "local_governance",
                "依据《{doc}》健全人工智能安全与伦理治理",
                GOV,
                NEAR,
                "人工智能 伦理 安全 治理 风险 监管 规范",
                ("伦理", "安全", "治理", "监管", "规范"),
                "local",
                pinned=True,
            ),
            Topic(
                "local_promotion",
                "依据《{doc}》完善促进措施与工作机制",
                GOV,
                NEAR,
                "县级以上人民政府 协调机制 促进 统筹 组织领导 考核",
                ("人民政府", "机制", "统筹"),
                "local",
                pinned=True,
            ),
            Topic(
                "genai",
                "督促生成式人工智能服务依法开展安全评估和备案",
                CAC,
                NEAR,
                "提供具有舆论属性或者社会动员能力的生成式人工智能服务 安全评估 算法备案",
                ("安全评估", "备案"),
                "national",
                doc_hint="生成式人工智能服务管理",
            ),
            Topic(
                "deep_synthesis",
                "落实深度合成服务的安全管理与标识要求",
                CAC,
                NEAR,
                "深度合成服务提供者 标识 安全管理 深度合成内容",
                ("深度合成",),
                "national",
                doc_hint="深度合成",
            ),
            Topic(
                "labeling",
                "推行人工智能生成合成内容标识",
                CAC,
                NEAR,
                "服务提供者 应当按照下列要求对生成合成内容添加显式标识 文件元数据中添加隐式标识",
                ("显式标识", "隐式标识"),
                "national",
                doc_hint="生成合成内容标识",
            ),
            Topic(
                "algorithm",
                "规范算法推荐服务，落实算法备案",
                CAC,
                NEAR,
                "算法推荐服务提供者 备案 算法机制机理 公示",
                ("算法推荐",),
                "national",
                doc_hint="算法推荐",
            ),
            Topic(
                "standards",
                "参与人工智能安全与治理标准建设",
                "市市场监管部门",
                MID,
                "安全/治理标准主要规范人工智能安全、治理等要求 为人工智能产业发展提供安全保障",
                ("安全/治理标准", "治理标准", "安全标准"),
                "national",
                doc_hint="标准化体系",
            ),
            Topic(
                "organization",
                "健全人工智能产业工作推进协调机制",
                GOV,
                NEAR,
                "各地方要立足本地区实际 健全工作推进协调机制 统筹协调 组织实施",
                ("协调机制", "统筹协调"),
                "national",
            ),
        ),
    ),
    SectionSpec(
        key="roadmap",
        title="推进步骤与指标",
        focus="按近期、中期、远期分阶段推进，建立统计监测与评估，指标目标值由本市确定",
        summary=(
            "{subject}可按近期、中期、远期三个阶段推进：近期完成规划与政策，中期建成基础设施与基金体系，"
            "远期形成完整产业链集群。建议跟踪以下指标（仅列名称，目标值由本市结合实际测算确定，"
            "本草案不设具体数值）：{indicators}。"
        ),
        queries=(
            "制定未来执行计划 逐步建立完整的产业链集群 未来三到五年",
            "统计监测 评估 考核 数字经济 指标体系",
        ),
        topics=(
            Topic(
                "near",
                "近期：编制规划、出台扶持政策与执行计划",
                DRC,
                NEAR,
                "地方政府需根据中央定调和政策指导制定符合当地产业特色的发展规划 制定未来执行计划",
                ("执行计划", "发展规划"),
                "report",
            ),
            Topic(
                "mid",
                "中期：建成基础设施产业园，打造数字基础设施产业集群",
                DRC,
                MID,
                "通过招商引资 打造数字基础设施产业集群 基础设施发展政策",
                ("基础设施",),
                "report",
            ),
            Topic(
                "far",
                "远期：逐步建立完整的产业链集群",
                GOV,
                FAR,
                "鼓励引进符合当地产业特色的企业入驻 逐步建立完整的产业链集群 未来三到五年",
                ("完整的产业链集群", "三到五年"),
                "report",
            ),
            Topic(
                "monitoring",
                "建立产业统计监测与评估机制，指标目标由本市确定",
                "市统计部门、市发展改革部门",
                NEAR,
                "加强对规划落实情况的跟踪监测和成效分析 统计测度和评价体系 监测评估",
                ("监测", "评价体系", "评估"),
                "national",
            ),
        ),
    ),
)
