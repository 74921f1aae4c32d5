//! The words of the analytics dashboards, in both languages side by side so they stay
//! in step. Columns, tables and sections are named by their enums, so a report added
//! on the server cannot reach the page without a name in each language.

use types::analytics::{
    alerts::{Comparison, Metric, RuleDraft},
    table::{Column, Section, TableName},
};

pub struct AnalyticsTexts {
    pub title: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub show: &'static str,
    pub last_30_days: &'static str,
    pub period_title: fn(&str, &str) -> String,
    /// The change against the period before, in percent; `None` when it had nothing.
    pub change: fn(Option<i64>) -> String,
    /// A share in basis points, as a percentage; `None` when there is nothing to divide.
    pub percent_bps: fn(Option<i64>) -> String,
    pub column: fn(Column) -> String,
    pub table: fn(TableName) -> &'static str,
    /// What a table counts, where its title does not say it all ("" for none).
    pub table_note: fn(TableName) -> &'static str,
    pub sections: &'static str,
    pub section: fn(Section) -> &'static str,
    pub section_lead: fn(Section) -> &'static str,
    pub empty: &'static str,
    /// A change from nothing (asked now, never before).
    pub new: &'static str,
    /// A CSV link's words, with the table's title.
    pub csv: fn(&str) -> String,
    /// A table's scrolling region's name, with the table's title.
    pub table_region: fn(&str) -> String,
    /// A chart's text for a screen reader: what per what, from, to and the total.
    pub chart_summary: fn(&str, &str, &str, &str, &str) -> String,
    pub chart_caption: fn(&str, &str) -> String,
    /// An empty source: typed in, or a page that said nothing of where it came from.
    pub direct: &'static str,
    pub saved_title: &'static str,
    pub saved_none: &'static str,
    pub saved_name: &'static str,
    /// The choice to keep a saved report's period moving, with its length in days.
    pub saved_moving: fn(i64) -> String,
    /// A saved report's period: the last so many days, or its dates.
    pub saved_period: fn(Option<u32>, &str, &str) -> String,
    pub save: &'static str,
    pub remove_short: &'static str,
    /// A remove button's full name, with the report's.
    pub remove: fn(&str) -> String,
    // The maker's view in the creator portal.
    pub maker_title: &'static str,
    pub maker_lead: &'static str,
    pub unseen: fn(i64) -> String,
    pub alerts: &'static str,
    pub alerts_lead: &'static str,
    pub alerts_none: &'static str,
    pub alert_new: &'static str,
    pub alert_name: &'static str,
    pub alert_metric_label: &'static str,
    pub alert_metric: fn(Metric) -> &'static str,
    pub alert_comparison_label: &'static str,
    pub alert_comparison: fn(Comparison) -> &'static str,
    pub alert_threshold: &'static str,
    pub alert_threshold_hint: &'static str,
    pub alert_window: &'static str,
    pub alert_hours: &'static str,
    pub alert_from_hour: &'static str,
    pub alert_to_hour: &'static str,
    pub alert_hours_hint: &'static str,
    pub alert_add: &'static str,
    /// The table's head: name, what it watches, its state, and the remove button.
    pub alert_columns: [&'static str; 4],
    /// What a rule watches, in a sentence.
    pub alert_rule: fn(&RuleDraft) -> String,
    /// Firing (since when) or not, with the last figure; "not checked yet" before the first check.
    pub alert_state: fn(bool, Option<i64>, Option<&str>, bool) -> String,
}

fn hours_en(rule: &RuleDraft) -> String {
    match rule.hours {
        Some(h) => format!(", {:02}:00–{:02}:00 UTC", h.from, h.to),
        None => String::new(),
    }
}

fn percent(bps: Option<i64>) -> String {
    match bps {
        Some(bps) => format!("{}.{:02} %", bps / 100, bps % 100),
        None => "–".to_owned(),
    }
}

pub static EN: AnalyticsTexts = AnalyticsTexts {
    title: "Analytics",
    period: "Period",
    from: "From",
    to: "To (included)",
    show: "Show",
    last_30_days: "Last 30 days",
    period_title: |from, to| format!("{from} to {to}"),
    change: |change| match change {
        Some(0) => "Unchanged from the period before".to_owned(),
        Some(n) if n > 0 => format!("Up {n} % from the period before"),
        Some(n) => format!("Down {} % from the period before", -n),
        None => "None in the period before".to_owned(),
    },
    percent_bps: percent,
    column: |c| {
        match c {
            Column::Day => "Day",
            Column::Week => "Week of",
            Column::Month => "Month",
            Column::Product => "Product",
            Column::Maker => "Maker",
            Column::Category => "Category",
            Column::Source => "Source",
            Column::Query => "Search",
            Column::Visitors => "Visitors",
            Column::Sessions => "Visits",
            Column::PageViews => "Page views",
            Column::Checkouts => "Checkouts started",
            Column::Orders => "Orders",
            Column::Conversion => "Orders per visit",
            Column::AverageOrder => "Average order",
            Column::Views => "Views",
            Column::Adds => "Added to cart",
            Column::ViewToCart => "Views to cart",
            Column::Purchases => "Units bought",
            Column::CartToPurchase => "Cart to purchase",
            Column::Revenue => "Gross sales",
            Column::Refunds => "Refunded",
            Column::Signups => "Signups",
            Column::Active => "Active shoppers",
            Column::Buyers => "Buyers",
            Column::NewBuyers => "First-time buyers",
            Column::ReturningBuyers => "Returning buyers",
            Column::CohortSize => "Accounts opened",
            Column::WeeksAfter(0) => "Same week",
            Column::WeeksAfter(n) => return format!("Week {n}"),
            Column::Searches => "Searches",
            Column::Results => "Results",
            Column::Opened => "Results opened",
            Column::OpenedShare => "Results opened",
            Column::ZeroResultShare => "Found nothing",
            Column::Before => "Period before",
            Column::Change => "Change",
            Column::Gross => "Gross sales",
            Column::Commission => "Commission",
            Column::Refunded => "Refunded",
            Column::Payouts => "Paid out to makers",
        }
        .to_owned()
    },
    table: |t| match t {
        TableName::Days => "Day by day",
        TableName::Products => "Your products",
        TableName::Sources => "Where views came from",
        TableName::Searches => "Searches that led to your products",
        TableName::ProductFunnels => "Products, most viewed first",
        TableName::MakerFunnels => "Makers, most viewed first",
        TableName::CategoryFunnels => "Categories, most viewed first",
        TableName::BestSellers => "Best sellers",
        TableName::ActiveDays => "Signups and active shoppers by day",
        TableName::ActiveWeeks => "Active shoppers by week",
        TableName::ActiveMonths => "Active shoppers by month",
        TableName::Buyers => "Buyers by week, first-time and returning",
        TableName::Cohorts => "Weekly cohorts: who came back",
        TableName::RevenueDays => "Money by day",
        TableName::RevenueMakers => "Money by maker",
        TableName::RevenueCategories => "Sales by category",
        TableName::PopularQueries => "Popular searches",
        TableName::ZeroResultQueries => "Searches that found nothing",
        TableName::UnopenedQueries => "Searches whose results nobody opened",
        TableName::TrendingQueries => "Rising searches",
    },
    table_note: |t| match t {
        TableName::Cohorts => {
            "Each row is the accounts opened in one week; each column, the share of them seen signed in that many weeks later."
        }
        TableName::Buyers => "A first-time buyer paid their first order that week.",
        TableName::RevenueCategories => {
            "At the prices and commission they sold at. Refunds and payouts are per order and maker, so they are not split by category."
        }
        TableName::TrendingQueries => "Asked more often than in the period before.",
        TableName::Products => "Shares are of the step before: views to cart, then cart to purchase.",
        _ => "",
    },
    sections: "Reports",
    section: |s| match s {
        Section::Overview => "Overview",
        Section::Shoppers => "Shoppers",
        Section::Products => "Products and makers",
        Section::Revenue => "Revenue",
        Section::Search => "Search",
    },
    section_lead: |s| match s {
        Section::Overview => {
            "What shoppers did in the store: visits, views, orders and money, against the period of the same length before. Visitors who ask not to be tracked and programs are not counted."
        }
        Section::Shoppers => {
            "Accounts opened, signed-in shoppers who came back, buyers new and returning, and how each week's new accounts keep coming."
        }
        Section::Products => {
            "How far shoppers go with each product, maker and category: seen, added to a cart, bought."
        }
        Section::Revenue => {
            "The money, from the books: what shoppers paid, the commission kept (less what refunds gave back), refunds and payouts sent."
        }
        Section::Search => {
            "What shoppers look for: the popular searches, those that find nothing, those whose results nobody opens, and those asked more than before."
        }
    },
    empty: "Nothing in this period.",
    new: "New",
    csv: |table| format!("Download “{table}” as CSV"),
    table_region: |table| format!("{table}, table"),
    chart_summary: |measure, by, total, from, to| {
        format!("{measure} per {} from {from} to {to}: {total} in all. The table gives each one.", by.to_lowercase())
    },
    chart_caption: |measure, by| format!("{measure} per {}; the table beside it has every figure.", by.to_lowercase()),
    direct: "Direct or unknown",
    saved_title: "Saved reports",
    saved_none: "None yet. Save the report above under a name to come back to it in one click.",
    saved_name: "Name",
    saved_moving: |days| format!("Keep it moving: always the last {days} days, not these dates"),
    saved_period: |moving, from, to| match moving {
        Some(days) => format!("the last {days} days"),
        None => format!("{from} to {to}"),
    },
    save: "Save this report",
    remove_short: "Remove",
    remove: |name| format!("Remove “{name}”"),
    maker_title: "Your figures",
    maker_lead: "How shoppers find and buy your products: views of each product's page, adds to a cart and units bought, for a period. Visitors who ask not to be tracked and programs are not counted.",
    unseen: |n| match n {
        1 => "One more of your live products had no views in this period.".to_owned(),
        n => format!("{n} more of your live products had no views in this period."),
    },
    alerts: "Alerts",
    alerts_lead: "Be told in-app and by mail when a figure crosses a line, and again when it recovers. Every rule is checked each minute over the minutes you choose.",
    alerts_none: "No alerts yet. Add one below, for example no paid order for an hour during the day.",
    alert_new: "New alert",
    alert_name: "Name",
    alert_metric_label: "Figure",
    alert_metric: |m| match m {
        Metric::PaidOrders => "Paid orders",
        Metric::Refunds => "Refunds",
        Metric::PageViews => "Page views",
        Metric::CheckoutsStarted => "Checkouts started",
        Metric::ZeroResultShare => "Searches that found nothing (%)",
    },
    alert_comparison_label: "Alert when the figure is",
    alert_comparison: |c| match c {
        Comparison::Below => "Below the threshold",
        Comparison::Above => "Above the threshold",
    },
    alert_threshold: "Threshold",
    alert_threshold_hint: "A count; for searches that found nothing, a percent from 0 to 100 (judged from 10 searches on).",
    alert_window: "Over the last (minutes, 5 to 1440)",
    alert_hours: "Watched hours (UTC)",
    alert_from_hour: "From hour (optional)",
    alert_to_hour: "Until hour (optional)",
    alert_hours_hint: "Leave both empty to watch all day. From 8 until 20 watches 08:00 to 19:59.",
    alert_add: "Add alert",
    alert_columns: ["Name", "Watches", "State", "Remove"],
    alert_rule: |r| {
        let side = if r.comparison == Comparison::Below { "below" } else { "above" };
        let unit = if r.metric.is_share() { " %" } else { "" };
        let figure = (EN.alert_metric)(r.metric).trim_end_matches(" (%)");
        format!("{figure} over {} min {side} {}{unit}{}", r.window_minutes, r.threshold, hours_en(r))
    },
    alert_state: |firing, value, since, share| {
        let unit = if share { " %" } else { "" };
        match (firing, value, since) {
            (_, None, _) => "Not checked yet".to_owned(),
            (true, Some(v), Some(since)) => format!("Alerting since {since} (now {v}{unit})"),
            (true, Some(v), None) => format!("Alerting (now {v}{unit})"),
            (false, Some(v), _) => format!("Fine (now {v}{unit})"),
        }
    },
};

pub static ZH: AnalyticsTexts = AnalyticsTexts {
    title: "数据分析",
    period: "时段",
    from: "开始",
    to: "结束（含当天）",
    show: "显示",
    last_30_days: "最近 30 天",
    period_title: |from, to| format!("{from} 至 {to}"),
    change: |change| match change {
        Some(0) => "与上一时段持平".to_owned(),
        Some(n) if n > 0 => format!("比上一时段增加 {n}%"),
        Some(n) => format!("比上一时段减少 {}%", -n),
        None => "上一时段没有数据".to_owned(),
    },
    percent_bps: percent,
    column: |c| {
        match c {
            Column::Day => "日期",
            Column::Week => "周（起始日）",
            Column::Month => "月份",
            Column::Product => "产品",
            Column::Maker => "创作者",
            Column::Category => "类别",
            Column::Source => "来源",
            Column::Query => "搜索词",
            Column::Visitors => "访客",
            Column::Sessions => "访问次数",
            Column::PageViews => "页面浏览",
            Column::Checkouts => "开始结账",
            Column::Orders => "订单",
            Column::Conversion => "每次访问的订单率",
            Column::AverageOrder => "平均订单金额",
            Column::Views => "浏览",
            Column::Adds => "加入购物车",
            Column::ViewToCart => "浏览到加购",
            Column::Purchases => "售出件数",
            Column::CartToPurchase => "加购到购买",
            Column::Revenue => "销售总额",
            Column::Refunds => "已退款",
            Column::Signups => "注册",
            Column::Active => "活跃顾客",
            Column::Buyers => "购买者",
            Column::NewBuyers => "首次购买者",
            Column::ReturningBuyers => "回头购买者",
            Column::CohortSize => "新开账户",
            Column::WeeksAfter(0) => "当周",
            Column::WeeksAfter(n) => return format!("第 {n} 周"),
            Column::Searches => "搜索次数",
            Column::Results => "结果数",
            Column::Opened => "打开结果次数",
            Column::OpenedShare => "打开结果",
            Column::ZeroResultShare => "无结果",
            Column::Before => "上一时段",
            Column::Change => "变化",
            Column::Gross => "销售总额",
            Column::Commission => "佣金",
            Column::Refunded => "已退款",
            Column::Payouts => "已付给创作者",
        }
        .to_owned()
    },
    table: |t| match t {
        TableName::Days => "每日明细",
        TableName::Products => "您的产品",
        TableName::Sources => "浏览来源",
        TableName::Searches => "带来浏览的搜索",
        TableName::ProductFunnels => "产品（按浏览排序）",
        TableName::MakerFunnels => "创作者（按浏览排序）",
        TableName::CategoryFunnels => "类别（按浏览排序）",
        TableName::BestSellers => "畅销产品",
        TableName::ActiveDays => "每日注册与活跃顾客",
        TableName::ActiveWeeks => "每周活跃顾客",
        TableName::ActiveMonths => "每月活跃顾客",
        TableName::Buyers => "每周购买者：首次与回头",
        TableName::Cohorts => "每周新用户留存",
        TableName::RevenueDays => "每日金额",
        TableName::RevenueMakers => "按创作者的金额",
        TableName::RevenueCategories => "按类别的销售",
        TableName::PopularQueries => "热门搜索",
        TableName::ZeroResultQueries => "没有结果的搜索",
        TableName::UnopenedQueries => "结果无人打开的搜索",
        TableName::TrendingQueries => "上升的搜索",
    },
    table_note: |t| match t {
        TableName::Cohorts => "每行是一周内新开的账户；每列是其中在之后第几周登录访问的比例。",
        TableName::Buyers => "首次购买者在该周支付了第一笔订单。",
        TableName::RevenueCategories => "按售出时的价格与佣金计。退款和付款按订单与创作者记录，因此不按类别拆分。",
        TableName::TrendingQueries => "比上一时段搜索得更多。",
        TableName::Products => "比例相对于上一步：浏览到加购，再到购买。",
        _ => "",
    },
    sections: "报告",
    section: |s| match s {
        Section::Overview => "概览",
        Section::Shoppers => "顾客",
        Section::Products => "产品与创作者",
        Section::Revenue => "收入",
        Section::Search => "搜索",
    },
    section_lead: |s| match s {
        Section::Overview => {
            "顾客在商店中的行为：访问、浏览、订单与金额，并与之前同样长度的时段比较。要求不被跟踪的访客和程序不计入。"
        }
        Section::Shoppers => "新开账户、回访的登录顾客、首次与回头购买者，以及每周新用户的留存。",
        Section::Products => "顾客对每个产品、创作者与类别走到了哪一步：浏览、加入购物车、购买。",
        Section::Revenue => "来自账本的金额：顾客支付的总额、保留的佣金（扣除退款退回的部分）、退款与已付款项。",
        Section::Search => "顾客在找什么：热门搜索、没有结果的搜索、结果无人打开的搜索，以及比之前更多的搜索。",
    },
    empty: "此时段没有数据。",
    new: "新出现",
    csv: |table| format!("下载“{table}”CSV 文件"),
    table_region: |table| format!("{table}（表格）"),
    chart_summary: |measure, by, total, from, to| {
        format!("{from} 至 {to} 每{by}的{measure}，共 {total}。表格列出每一项。")
    },
    chart_caption: |measure, by| format!("每{by}的{measure}；旁边的表格列出全部数字。"),
    direct: "直接访问或未知",
    saved_title: "已保存的报告",
    saved_none: "还没有。为上面的报告命名并保存，之后一键即可打开。",
    saved_name: "名称",
    saved_moving: |days| format!("随日期滚动：始终显示最近 {days} 天，而不是这些日期"),
    saved_period: |moving, from, to| match moving {
        Some(days) => format!("最近 {days} 天"),
        None => format!("{from} 至 {to}"),
    },
    save: "保存此报告",
    remove_short: "删除",
    remove: |name| format!("删除“{name}”"),
    maker_title: "您的数据",
    maker_lead: "顾客如何发现并购买您的产品：所选时段内每个产品页面的浏览、加入购物车次数与售出件数。要求不被跟踪的访客和程序不计入。",
    unseen: |n| format!("另有 {n} 件在售产品在此时段没有浏览。"),
    alerts: "提醒",
    alerts_lead: "当某项数值越过界线时，通过站内通知和邮件告知您；恢复时再告知一次。每条规则每分钟按您设定的分钟数检查一次。",
    alerts_none: "还没有提醒。可在下方添加，例如白天一小时内没有付款订单。",
    alert_new: "新建提醒",
    alert_name: "名称",
    alert_metric_label: "数值",
    alert_metric: |m| match m {
        Metric::PaidOrders => "已付款订单",
        Metric::Refunds => "退款",
        Metric::PageViews => "页面浏览",
        Metric::CheckoutsStarted => "发起结账",
        Metric::ZeroResultShare => "无结果搜索（%）",
    },
    alert_comparison_label: "何时提醒",
    alert_comparison: |c| match c {
        Comparison::Below => "低于阈值",
        Comparison::Above => "高于阈值",
    },
    alert_threshold: "阈值",
    alert_threshold_hint: "次数；无结果搜索为 0 到 100 的百分比（至少 10 次搜索才判断）。",
    alert_window: "统计最近（分钟，5 到 1440）",
    alert_hours: "监测时段（UTC）",
    alert_from_hour: "从几点开始（可选）",
    alert_to_hour: "到几点为止（可选）",
    alert_hours_hint: "两项都留空表示全天。从 8 到 20 表示 08:00 至 19:59。",
    alert_add: "添加提醒",
    alert_columns: ["名称", "监测内容", "状态", "删除"],
    alert_rule: |r| {
        let side = if r.comparison == Comparison::Below { "低于" } else { "高于" };
        let unit = if r.metric.is_share() { "%" } else { "" };
        let figure = (ZH.alert_metric)(r.metric).trim_end_matches("（%）");
        let hours = r.hours.map(|h| format!("，UTC {:02}:00–{:02}:00", h.from, h.to)).unwrap_or_default();
        format!("最近 {} 分钟{figure}{side} {}{unit}{hours}", r.window_minutes, r.threshold)
    },
    alert_state: |firing, value, since, share| {
        let unit = if share { "%" } else { "" };
        match (firing, value, since) {
            (_, None, _) => "尚未检查".to_owned(),
            (true, Some(v), Some(since)) => format!("自 {since} 起提醒中（当前 {v}{unit}）"),
            (true, Some(v), None) => format!("提醒中（当前 {v}{unit}）"),
            (false, Some(v), _) => format!("正常（当前 {v}{unit}）"),
        }
    },
};
