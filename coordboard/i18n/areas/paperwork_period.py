"""Paperwork: the monthly and quarterly report (月报/季报) and the office's own bulletin template."""

ZH: dict[str, str] = {
    "report.period": "督办月报/季报",
    "period.label.month": "{year}年{month}月",
    "period.label.quarter": "{year}年第{quarter}季度",
    "period.masthead.month": "督办工作月报",
    "period.masthead.quarter": "督办工作季报",
    "period.title": "{town}{period}督办事项办理情况",
    "period.as_of": "（统计截至{date}）",
    "period.h1.overview": "总体情况",
    "period.h1.units": "各单位办理情况",
    "period.h1.chart": "各单位办结和逾期情况图",
    "period.overview": (
        "{period}，纳入统计的督办事项{tasks}项。办结{closed}项，其中按期办结{on_time}项、"
        "逾期办结{late}项，按期办结率{rate}；截至{date}，逾期未办结{overdue}项；"
        "退回重办{returns}次。"),
    "period.table_note": (
        "注：各单位数字含其牵头和配合的事项，合计行每项事项只计一次；"
        "按期办结率＝按期办结数÷办结数；考核得分按考核办法计算。"),
    "period.chart.none": "本期无办结或逾期事项，不作图。",
    "period.col.unit": "单位",
    "period.col.led": "牵头事项",
    "period.col.supported": "配合事项",
    "period.col.on_time": "按期办结",
    "period.col.late": "逾期办结",
    "period.col.overdue": "逾期未办结",
    "period.col.returns": "退回重办",
    "period.col.rate": "按期办结率",
    "period.col.points": "考核得分",
    "period.col.total": "合计",
    "period.sheet": "统计表",
    "period.footer": "&C第 &P 页，共 &N 页",
    "period.error.one_of": "请指定 --month（如 2026-11）或 --quarter（如 2026Q4）二者之一。",
    "period.error.month": "月份“{value}”无效，应写作“年-月”，如 2026-11。",
    "period.error.quarter": "季度“{value}”无效，应写作“年Q季度”，如 2026Q4。",
    "period.error.future": "该期间从{start}开始，尚未开始，不能生成月报/季报。",
    "period.error.year": "只能查{first}年至{last}年之间的月份或季度。",
    "bulletin_template.missing": "通报模板文件 {path} 不存在，请检查设置 bulletin_template。",
    "bulletin_template.broken": (
        "通报模板 {path} 无法填写（{detail}），未生成通报，请检查模板或设置 bulletin_template。"),
    "bulletin_template.why.unsafe": "模板试图访问通报数据以外的内容，这是不允许的：模板只能填写通报给出的值",
    "bulletin_template.why.unknown_name": "模板用了通报里没有的名称“{name}”，可用的名称见 docs/paperwork.md",
    "bulletin_template.why.unknown_field": "模板用了通报里没有的项目，可用的名称见 docs/paperwork.md",
    "bulletin_template.why.syntax": "模板中的占位符或标签写法有误，如 {{{{ }}}} 或 {{% %}} 没有配对",
    "bulletin_template.why.not_docx": "文件不是 Word 文档（.docx）",
    "bulletin_template.why.unreadable": "Word 文档内容已损坏，无法读取",
    "cli.help.report.period": "某月或某季度各单位督办事项办理情况（月报/季报）。",
    "cli.help.report.period.month": "月份，例如 2026-11。",
    "cli.help.report.period.quarter": "季度，例如 2026Q4。",
    "cli.help.report.period.path": "输出文件：.docx（带图表）或 .xlsx。",
}

EN: dict[str, str] = {
    "report.period": "period report",
    "period.label.month": "{month}/{year}",
    "period.label.quarter": "quarter {quarter} of {year}",
    "period.masthead.month": "Monthly supervision report",
    "period.masthead.quarter": "Quarterly supervision report",
    "period.title": "{town} supervision work, {period}",
    "period.as_of": "(as of {date})",
    "period.h1.overview": "Overview",
    "period.h1.units": "By unit",
    "period.h1.chart": "Closed and overdue, by unit",
    "period.overview": (
        "{period}: {tasks} tasks counted. {closed} closed, {on_time} on time and {late} late, "
        "on-time rate {rate}; as of {date}, {overdue} overdue and open; {returns} returns "
        "for rework."),
    "period.table_note": (
        "Note: a unit's figures count the tasks it led and supported; the total counts each "
        "task once; on-time rate = closed on time ÷ closed; points as the scoring rules say."),
    "period.chart.none": "Nothing closed or overdue in the period: no chart.",
    "period.col.unit": "Unit",
    "period.col.led": "Led",
    "period.col.supported": "Supported",
    "period.col.on_time": "Closed on time",
    "period.col.late": "Closed late",
    "period.col.overdue": "Overdue, open",
    "period.col.returns": "Returned",
    "period.col.rate": "On-time rate",
    "period.col.points": "Points",
    "period.col.total": "Total",
    "period.sheet": "Figures",
    "period.footer": "&CPage &P of &N",
    "period.error.one_of": "Give exactly one of --month (e.g. 2026-11) or --quarter (e.g. 2026Q4).",
    "period.error.month": "'{value}' is not a month: write year-month, e.g. 2026-11.",
    "period.error.quarter": "'{value}' is not a quarter: write yearQn, e.g. 2026Q4.",
    "period.error.future": "The period starts on {start} and has not begun: there is nothing to report yet.",
    "period.error.year": "Months and quarters from {first} to {last} only.",
    "bulletin_template.missing": (
        "The bulletin template {path} does not exist: check the bulletin_template setting."),
    "bulletin_template.broken": (
        "The bulletin template {path} could not be filled ({detail}), so no bulletin was "
        "written: check the template or the bulletin_template setting."),
    "bulletin_template.why.unsafe": "it reaches beyond the bulletin's values, which is not allowed: a template can only show the values given",
    "bulletin_template.why.unknown_name": "it uses the name '{name}', which the bulletin does not give; docs/paperwork.md lists the names",
    "bulletin_template.why.unknown_field": "it uses a field the bulletin does not give; docs/paperwork.md lists the names",
    "bulletin_template.why.syntax": "a placeholder or tag is malformed, e.g. an unmatched {{{{ }}}} or {{% %}}",
    "bulletin_template.why.not_docx": "the file is not a Word document (.docx)",
    "bulletin_template.why.unreadable": "the Word document is damaged and cannot be read",
    "cli.help.report.period": "Each unit's supervision figures for a month or a quarter.",
    "cli.help.report.period.month": "A month, e.g. 2026-11.",
    "cli.help.report.period.quarter": "A quarter, e.g. 2026Q4.",
    "cli.help.report.period.path": "Output file: .docx (with a chart) or .xlsx.",
}
