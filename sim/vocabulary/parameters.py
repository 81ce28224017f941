"""Labels of scenario keys and parameter groups: one Chinese and one English label each.

:data:`KEYS` labels every key component of a scenario path (sections, levers, uncertainty
components and parameters); the report's assumption tables join them
(``sim.report.texts.key_labels.key_label``) and the sensitivity and discover outputs name parameters and
factor groups with :func:`param_label` and :func:`group_label`. Every entry is a ``(zh, en)``
pair; English labels are lower case and are capitalised where they open a label.
Scenario-defined entities (sectors, projects, milestones, leader pipelines, counts) are named by
their own ``name_zh`` / ``name_en``.
"""

from __future__ import annotations

from sim.vocabulary.outcomes import OUTCOMES

KEYS = {
    "levers": ("政策杠杆", "levers"),
    "initial_state": ("初始状态", "initial state"),
    "base_year": ("基年统计", "base year"),
    "uncertainties": ("不确定参数", "uncertainties"),
    "promotion_events_per_year": ("每年联合招商活动次数", "promotion events per year"),
    "infrastructure_funding": ("基础设施资金（相对规划，1 = 按规划）", "infrastructure funding (1 = as planned)"),
    "project_month": ("计划完工月份", "planned completion month"),
    "milestone_month": ("计划实现月份", "planned month"),
    "leader_candidates": ("龙头企业候选数", "leading-enterprise candidates"),
    "developed_area_ha": ("已开发土地（公顷）", "developed land (ha)"),
    "serviced_land_free_ha": ("可供地块（公顷）", "free serviced land (ha)"),
    "warehouse_free_k_m2": ("空置仓库（千平方米）", "free warehouse (1000 m²)"),
    "pipeline_months": ("在途项目：开始前的线索月数", "pipeline: months of leads before the start"),
    "enterprises": ("在营企业数", "operating enterprises"),
    "funding_delay_elasticity": ("资金对工期的弹性", "funding-delay elasticity"),
    "macro": ("宏观贸易", "macro trade"),
    "growth_per_year": ("年增长率", "growth per year"),
    "volatility_per_month": ("月波动率", "volatility per month"),
    "commodity": ("大宗商品价格", "commodity prices"),
    "drift_per_year": ("年漂移", "drift per year"),
    "disruption": ("中断（港口/疫情等）", "disruptions"),
    "spells_per_year": ("每年次数", "spells per year"),
    "length_months": ("持续月数", "length (months)"),
    "depth": ("贸易损失比例", "share of trade lost"),
    "promotion": ("招商", "promotion"),
    "leads_per_event": ("每次活动带来的线索", "leads per event"),
    "sectors": ("行业", "sectors"),
    "lead_rate_per_month": ("每月线索数", "leads per month"),
    "sign_prob": ("签约概率", "signing probability"),
    "sign_delay_months": ("签约所需月数", "months to sign"),
    "max_wait_months": ("最长等待用地月数", "max months waiting for space"),
    "fitout_months": ("装修建设月数", "fit-out months"),
    "rampup_months": ("达产月数", "ramp-up months"),
    "trade_median_yi": ("单家企业年贸易额中位数（亿元）", "median yearly trade per firm (亿元)"),
    "trade_sigma": ("企业间贸易额对数标准差", "between-firm sd of log trade"),
    "noise_sigma": ("月度贸易对数波动", "monthly sd of log trade"),
    "output_ratio": ("产值/贸易额比", "output per yuan of trade"),
    "employees_median": ("单家企业员工中位数", "median employees per firm"),
    "employees_sigma": ("企业间员工数对数标准差", "between-firm sd of log employees"),
    "foreign_prob": ("外资企业概率", "probability foreign-invested"),
    "fdi_wan_usd": ("外资额（万美元）", "FDI paid in (万美元)"),
    "exit_rate_per_year": ("年退出率", "exit rate per year"),
    "project_delay_months": ("工程延误（月，负数为提前）", "project slip (months, negative = early)"),
    "milestone_delay_months": ("改革事项延误（月，负数为提前）", "milestone slip (months, negative = early)"),
    "leaders": ("龙头企业", "leading enterprises"),
    "trade_yi": ("年贸易额（亿元）", "trade at full size (亿元/yr)"),
    "employees": ("员工数", "employees"),
    "counts": ("创新与认定计数", "programme counts"),
    "base_per_year": ("每年基础次数", "base rate per year"),
    "per_firm_per_year": ("每家企业每年次数", "rate per firm per year"),
}
"""Label of each scenario key component."""

NOISE = "process_noise"
"""Id of the model's own randomness as a sensitivity factor."""

GROUPS = {
    "initial_state": ("初始空间（空置地块、仓库）", "Initial free space (plots, warehouses)"),
    "base_year": (
        "基年统计（贸易、产值、从业人员、开发率、企业数）",
        "Base-year figures (trade, output, staff, land, firms)",
    ),
    "uncertainties.macro": ("宏观贸易增长", "Macro trade growth"),
    "uncertainties.commodity": ("大宗商品价格", "Commodity prices"),
    "uncertainties.disruption": ("中断冲击", "Disruption spells"),
    "uncertainties.promotion": ("每次招商活动的线索", "Leads per promotion event"),
    "uncertainties.project_delay_months": ("项目延期", "Project slips"),
    "uncertainties.milestone_delay_months": ("政策节点延期", "Milestone slips"),
    "uncertainties.counts": ("创新与认定计数", "Programme counts (patents, labs...)"),
    NOISE: ("过程随机性（到达、时点、波动、同类园区）", "Process randomness (arrivals, timing, noise, peers)"),
}
"""Label of each factor group of several parameters (a one-parameter group is labelled by its key)."""

_COMPONENTS = ("macro", "commodity", "disruption", "promotion")
"""Uncertainty components whose parameters are labelled "<component>: <parameter>"."""

_PHRASES = {
    "initial_firms": ("：基年在营企业数", ": firms in the base year"),
    "slip": ("：延期（月）", ": slip (months)"),
    "firm_parameters": ("：企业参数", ": firm parameters"),
    "sign_up": ("：签约与规模", ": sign-up and size"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _opening(label: str) -> str:
    """A label as the start of a phrase (first letter capitalised)."""
    return label[:1].upper() + label[1:]


def key_text(key: str, lang: str) -> str:
    """Label of one key component (the key itself if it has none)."""
    return _pick(KEYS[key], lang) if key in KEYS else key


def _name(spec, lang: str) -> str:
    return spec.name_zh if lang == "zh" else spec.name_en


def group_of(path: str) -> str:
    """Factor group of a parameter: initial free space; the base-year figures (what the zone's
    books would fix); one group per sector and leader pipeline; otherwise the first two key
    levels (macro, commodity, project slips...)."""
    parts = path.split(".")
    if parts[0] in ("initial_state", "base_year"):
        return parts[0]
    if len(parts) > 2 and parts[1] in ("sectors", "leaders"):
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def group_label(sc, g: str, lang: str) -> str:
    """Label of a factor group (see :func:`group_of`); ``sc`` names the sectors and pipelines."""
    if g in GROUPS:
        return _pick(GROUPS[g], lang)
    parts = g.split(".")
    if len(parts) == 3 and parts[1] == "sectors" and parts[2] in sc.constants.sectors:
        return _name(sc.constants.sectors[parts[2]], lang) + _pick(_PHRASES["firm_parameters"], lang)
    if len(parts) == 3 and parts[1] == "leaders" and parts[2] in sc.constants.leaders:
        return _name(sc.constants.leaders[parts[2]], lang) + _pick(_PHRASES["sign_up"], lang)
    if len(parts) == 2 and parts[1] in KEYS:
        return _opening(key_text(parts[1], lang))
    return g


def param_label(sc, path: str, lang: str) -> str:
    """Readable name of one uncertain parameter, e.g. "Cross-border e-commerce: signing probability"."""
    parts = path.split(".")
    c = sc.constants
    keyl = key_text(parts[-1], lang)
    sep = ": " if lang == "en" else "："
    if parts[0] == "base_year":
        if len(parts) == 3 and parts[1] == "enterprises" and parts[2] in c.sectors:
            return _name(c.sectors[parts[2]], lang) + _pick(_PHRASES["initial_firms"], lang)
        o = OUTCOMES[parts[1]]
        name = o.zh if lang == "zh" else (o.en if o.en.split()[-1].isupper() else o.en.lower())
        return _opening(key_text("base_year", lang)) + sep + name
    if parts[0] == "initial_state":
        return _opening(key_text("initial_state", lang)) + sep + keyl
    if len(parts) == 2:
        return _pick(GROUPS[path], lang) if path in GROUPS else _opening(keyl)
    grp = parts[1]
    tables = {
        "sectors": c.sectors,
        "leaders": c.leaders,
        "counts": c.counts,
        "project_delay_months": c.projects,
        "milestone_delay_months": c.milestones,
    }
    if grp in tables and parts[2] in tables[grp]:
        spec = tables[grp][parts[2]]
        if grp.endswith("_delay_months"):
            return _name(spec, lang) + _pick(_PHRASES["slip"], lang)
        return _name(spec, lang) + sep + keyl
    if grp in _COMPONENTS:
        return _opening(key_text(grp, lang)) + sep + keyl
    return path
