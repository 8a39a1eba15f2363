"""Words every question in this domain contains (人工智能, 产业, 政策, 规定 …): they say nothing about
whether the corpus answers a question, so answerability never counts them as terms to cover."""

from __future__ import annotations

# Words that ask for a comparison (有什么不同, 两地的区别, 各自): they ask how the texts differ, and name
# nothing any text would contain.
COMPARING = frozenset(
    ["不同", "区别", "差别", "差异", "异同", "相同", "一样", "两地", "两者", "双方", "各自", "两份", "两部"]
)

# Words that ask for a definition (怎么界定, 所称的X指什么): the answer is the sentence that defines the
# term (本条例所称X，是指…), which need not repeat them.
DEFINING = frozenset(
    ["定义", "界定", "含义", "涵义", "释义", "概念", "内涵", "意思", "所称", "所指", "所说", "是指", "指的是"]
)

# Words for where a slide or text shows something (图表里, 表格中): the slide export keeps a figure's
# caption and numbers, not these words.
SHOWING = frozenset(["图表", "表格", "图示", "示意图", "附表", "附图", "插图", "幻灯片", "图里", "图中"])

_EVERYDAY = set(
    [
        "人工智能",
        "人工",
        "智能",
        "ai",
        "产业",
        "行业",
        "发展",
        "政府",
        "地方",
        "地方政府",
        "政策",
        "企业",
        "有没有",
        "规定",
        "要求",
        "主要",
        "重点",
        "提出",
        "方面",
        "措施",
        "内容",
        "问题",
        "应该",
        "应当",
        "可以",
        "需要",
        "能",
        "有",
        "是",
        "中",
        "里",
        "对",
        "和",
        "与",
        "及",
        "报告",
        "文件",
        "办法",
        "条例",
        "意见",
        "规划",
        "国家",
        "我国",
        "中国",
        "我们",
        "方面",
        "具体",
        "相关",
        "工作",
        "一般",
        "目前",
        "现在",
        "其中",
        "市",
        "省",
        "区",
        "县",
        "一个",
        "分别",
        "各",
        "个",
        "条",
        "款",
        "项",
        "年",
        "第",
        "时候",
        "何时",
        "长时间",
        "时间",
        "至少",
        "最多",
        "一年",
        "特点",
        "引用",
        "认为",
        "说",
        "做",
        "采用",
        "目标",
        "定义",
        "方向",
        "作用",
        "建议",
        "提到",
        "指出",
        "根据",
        "按照",
        "通过",
        "进行",
        "开展",
        "实施",
        "推动",
        "支持",
        "鼓励",
        "加强",
        "加快",
        "促进",
        "有关",
        "意义",
    ]
)

GENERIC = COMPARING | DEFINING | SHOWING | _EVERYDAY
