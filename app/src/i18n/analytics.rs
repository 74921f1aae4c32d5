//! The words of the analytics dashboards, in both languages side by side so they stay
//! in step.

pub struct AnalyticsTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub show: &'static str,
    pub last_30_days: &'static str,
    pub period_title: fn(&str, &str) -> String,
    pub visitors: &'static str,
    pub sessions: &'static str,
    pub page_views: &'static str,
    pub orders: &'static str,
    pub revenue: &'static str,
    pub conversion: &'static str,
    pub average_order: &'static str,
    pub refunds: &'static str,
    /// The change against the period before, in percent; `None` when it had nothing.
    pub change: fn(Option<i64>) -> String,
    /// A share in basis points, as a percentage; `None` when there is nothing to divide.
    pub percent_bps: fn(Option<i64>) -> String,
    pub days_title: &'static str,
    pub day: &'static str,
    pub chart_summary: fn(i64, &str, &str) -> String,
    pub chart_caption: &'static str,
}

fn percent(bps: Option<i64>) -> String {
    match bps {
        Some(bps) => format!("{}.{:02} %", bps / 100, bps % 100),
        None => "–".to_owned(),
    }
}

pub static EN: AnalyticsTexts = AnalyticsTexts {
    title: "Analytics",
    lead: "What shoppers did in the store: visits, views, orders and money, against the period of the same length before. Visitors who ask not to be tracked and programs are not counted.",
    period: "Period",
    from: "From",
    to: "To (included)",
    show: "Show",
    last_30_days: "Last 30 days",
    period_title: |from, to| format!("{from} to {to}"),
    visitors: "Visitors",
    sessions: "Visits",
    page_views: "Page views",
    orders: "Orders",
    revenue: "Gross sales",
    conversion: "Conversion",
    average_order: "Average order",
    refunds: "Refunded",
    change: |change| match change {
        Some(0) => "Unchanged from the period before".to_owned(),
        Some(n) if n > 0 => format!("Up {n} % from the period before"),
        Some(n) => format!("Down {} % from the period before", -n),
        None => "None in the period before".to_owned(),
    },
    percent_bps: percent,
    days_title: "Day by day",
    day: "Day",
    chart_summary: |total, from, to| {
        format!("Page views per day from {from} to {to}: {total} in all. The table gives each day.")
    },
    chart_caption: "Page views per day; the table beside it has every figure.",
};

pub static ZH: AnalyticsTexts = AnalyticsTexts {
    title: "数据分析",
    lead: "顾客在商店中的行为：访问、浏览、订单与金额，并与之前同样长度的时段比较。要求不被跟踪的访客和程序不计入。",
    period: "时段",
    from: "开始",
    to: "结束（含当天）",
    show: "显示",
    last_30_days: "最近 30 天",
    period_title: |from, to| format!("{from} 至 {to}"),
    visitors: "访客",
    sessions: "访问次数",
    page_views: "页面浏览",
    orders: "订单",
    revenue: "销售总额",
    conversion: "转化率",
    average_order: "平均订单金额",
    refunds: "已退款",
    change: |change| match change {
        Some(0) => "与上一时段持平".to_owned(),
        Some(n) if n > 0 => format!("比上一时段增加 {n}%"),
        Some(n) => format!("比上一时段减少 {}%", -n),
        None => "上一时段没有数据".to_owned(),
    },
    percent_bps: percent,
    days_title: "每日明细",
    day: "日期",
    chart_summary: |total, from, to| format!("{from} 至 {to} 每日页面浏览，共 {total} 次。表格列出每一天。"),
    chart_caption: "每日页面浏览；旁边的表格列出全部数字。",
};
