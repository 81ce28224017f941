"""``new-zone PATH [--lang zh|en]``: write a one-page zone file to fill in (docs/zones.md).

Every key carries a comment saying what to enter and where the figure is found. The example
figures are those of an illustrative zone, not data: the file validates and runs as written, and
a planner replaces each figure with the zone's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.errors import UserError

TEMPLATE_ZH = """\
# 园区文件：一页写清一个综合保税区和它的规划（说明见 docs/zones.md）。
# 下面的数字是一个示例园区的数字，不是数据：请逐项换成本园区的数字。
# 本文件未写明的参数（企业进入、规模、退出、工程拖期、宏观冲击等）取自全国默认目录
# scenarios/catalogue/defaults.toml，并按本园区基准年的规模换算。
# 运行：python run_sim.py run {name}

[zone]
name_zh = "某某综合保税区"          # 园区中文全称（国务院批复名称）
name_en = "Zone X"                  # 园区英文名称，用于英文报告
province = "贵州"                   # 所在省份简称（如 贵州、广西、江苏）：决定评估的区域板块
fenced_area_km2 = 2.0               # 围网面积，平方公里：见国务院批复或海关验收文件
accepted = "2019-06"                # 通过海关验收的年月 "YYYY-MM"：见海关总署等部门的验收公告

[plan]
document = "某政办〔2026〕1号"      # 规划文件文号，报告中作为目标的出处
start = "2026-01"                   # 规划第一年的一月 "YYYY-01"
horizon_months = 24                 # 模拟月数，12的倍数（规划覆盖几年就写几乘12）

# 基准年 = 规划开始的前一年。每项写一个数，或不确定时写 [低, 最可能, 高]。
[base_year]
trade_processing = 20               # 加工贸易进出口额，亿元：海关统计（园区所在海关或综保区管委会月报）
trade_bonded_logistics = 15         # 保税物流进出口额，亿元：海关统计
trade_general = 10                  # 一般贸易进出口额，亿元：海关统计
industrial_output = 25              # 规模以上工业总产值，亿元：统计部门或管委会年报
active_enterprises = 120            # 年度活跃企业数（有进出口实绩的企业），家：海关统计或管委会年报
employees = 3000                    # 园区企业从业人数，人：管委会年报
development_rate = 60               # 围网面积开发率，%：已开发（七通一平或已建）面积 ÷ 围网面积
# 各行业企业家数（只写园区已有的行业；未写的行业不进行贸易，除非下面的里程碑开通它）：
# processing 加工制造，logistics 保税物流仓储，commodity 大宗商品贸易，services 服务业，
# cbec 跨境电商，repair 保税维修检测。
enterprises = {{ processing = 30, logistics = 50, services = 40 }}

# 规划目标：指标 = {{ 年份 = 门槛 }}（达到或超过即为完成）；见规划的主要目标和附表。
[targets]
trade_total = {{ 2026 = 60, 2027 = 80 }}       # 进出口总值，亿元
industrial_output = {{ 2027 = 40 }}            # 规模以上工业总产值，亿元
active_enterprises = {{ 2027 = 160 }}          # 年度活跃企业数，家
# rank = {{ 2027 = 80 }}                       # 全国发展绩效评估排名（不低于第几位），每年可各写一个。同类
#                                            # 园区按规划开始前已公布的全国数据校准；另需在 [ranking.zone]
#                                            # 写明本省上年外贸进出口总值 province_trade_yi（亿元）。

# 规划中的建设项目，每个一段 [[projects]]；kind 取 serviced_land（土地平整及配套）、warehouse（保税仓库）、
# gate（卡口及查验设施）、platform（信息化管理平台）、park（产业园）。
[[projects]]
name_zh = "保税物流仓库"            # 项目中文名称（规划原文）
name_en = "Bonded warehouse"        # 项目英文名称
kind = "warehouse"                  # 项目类型（见上）
due = "2026-09"                     # 规划要求的完成年月 "YYYY-MM"
warehouse_k_m2 = 30                 # 新增保税仓库面积，千平方米（土地项目写 serviced_land_ha，公顷）

# 规划中的政策里程碑，每个一段 [[milestones]]；新业态写 business_type（bonded_repair 保税维修、cbec 跨境电商），
# 改革写 kind（vat_pilot 增值税一般纳税人试点、single_window 单一窗口、port_data_linkage 区港联动）。
[[milestones]]
name_zh = "保税维修业务落地"        # 里程碑中文名称（规划原文）
name_en = "Bonded repair launch"    # 里程碑英文名称
business_type = "bonded_repair"     # 开通的新业态
due = "2026-06"                     # 规划要求的落地年月 "YYYY-MM"
"""

TEMPLATE_EN = """\
# Zone file: one page for a comprehensive bonded zone and its plan (see docs/zones.md).
# The figures below are those of an illustrative zone, not data: replace each with your zone's own.
# Everything this file does not state (entries, sizes, exits, works delays, shared shocks...) comes
# from the national catalogue scenarios/catalogue/defaults.toml, scaled to this zone's base year.
# Run: python run_sim.py run {name}

[zone]
name_zh = "某某综合保税区"          # the zone's Chinese name (as in the State Council approval)
name_en = "Zone X"                  # the zone's English name, used in the English reports
province = "贵州"                   # province, short Chinese name (贵州, 广西, 江苏...): sets the evaluation's regional board
fenced_area_km2 = 2.0               # fenced area, km2: the State Council approval or the customs acceptance documents
accepted = "2019-06"                # month the zone passed customs acceptance "YYYY-MM": the acceptance notice

[plan]
document = "某政办〔2026〕1号"      # the plan's document number, cited as the source of its targets
start = "2026-01"                   # January of the plan's first year "YYYY-01"
horizon_months = 24                 # months simulated, a multiple of 12 (12 x the years the plan covers)

# Base year = the year before the plan starts. Each figure is a number, or [low, most likely, high] when unsure.
[base_year]
trade_processing = 20               # processing trade, 亿元: customs statistics (the zone's customs office or monthly report)
trade_bonded_logistics = 15         # bonded-logistics trade, 亿元: customs statistics
trade_general = 10                  # general trade, 亿元: customs statistics
industrial_output = 25              # industrial output above designated size, 亿元: statistics bureau or the zone's annual report
active_enterprises = 120            # active enterprises (firms with declared trade) in the year: customs or the zone's annual report
employees = 3000                    # employees of the zone's firms: the zone's annual report
development_rate = 60               # development rate of the fenced area, %: developed (serviced or built) land / fenced area
# Enterprises by sector (only the sectors the zone has; a sector not listed trades nothing unless a
# milestone below opens it): processing, logistics, commodity (bulk trading), services,
# cbec (cross-border e-commerce), repair (bonded repair).
enterprises = {{ processing = 30, logistics = 50, services = 40 }}

# The plan's targets: indicator = {{ year = threshold }} (reached when at or above it); see the plan's goals and annex.
[targets]
trade_total = {{ 2026 = 60, 2027 = 80 }}       # total trade, 亿元
industrial_output = {{ 2027 = 40 }}            # industrial output above designated size, 亿元
active_enterprises = {{ 2027 = 160 }}          # active enterprises
# rank = {{ 2027 = 80 }}                       # national evaluation rank (worst acceptable), one a year if wanted.
#                                            # Peer zones: the national facts published before the plan starts;
#                                            # state the province's trade of the base year under [ranking.zone].

# The plan's works, one [[projects]] each; kind is serviced_land, warehouse, gate, platform or park.
[[projects]]
name_zh = "保税物流仓库"            # the project's Chinese name (as in the plan)
name_en = "Bonded warehouse"        # the project's English name
kind = "warehouse"                  # project kind (above)
due = "2026-09"                     # month the plan wants it finished "YYYY-MM"
warehouse_k_m2 = 30                 # bonded warehouse added, 1000 m2 (land projects: serviced_land_ha, hectares)

# The plan's policy milestones, one [[milestones]] each: a new business type as business_type
# (bonded_repair, cbec), a reform as kind (vat_pilot, single_window, port_data_linkage).
[[milestones]]
name_zh = "保税维修业务落地"        # the milestone's Chinese name (as in the plan)
name_en = "Bonded repair launch"    # the milestone's English name
business_type = "bonded_repair"     # the business type it launches
due = "2026-06"                     # month the plan wants it "YYYY-MM"
"""


def template(lang: str, name: str) -> str:
    """The zone-file template in ``lang`` ("zh" or "en"); ``name`` is shown in the run command."""
    return (TEMPLATE_ZH if lang == "zh" else TEMPLATE_EN).format(name=name)


def add_parser(sub) -> None:
    p = sub.add_parser("new-zone", help="write a one-page zone file to fill in (docs/zones.md)")
    p.add_argument("path", help="file to write, e.g. scenarios/my_zone.toml (must not exist)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the comments (default: zh)")
    p.set_defaults(func=new_zone)


def new_zone(args) -> int:
    path = Path(args.path)
    if path.exists():
        raise UserError(f"{path}: already exists; choose another name or move the file away")
    if not path.parent.is_dir():
        raise UserError(f"{path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(template(args.lang, str(path)), encoding="utf-8")
    os.replace(tmp, path)
    print(f"{path}: zone file written; fill in your zone's figures, then: python run_sim.py run {path}")
    return 0
