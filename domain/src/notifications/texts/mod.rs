//! What each notice may say: the variables its kind offers (with what they hold and an
//! example), how a notice's stored parameters become those values in the reader's
//! language, and the first version of every template (`en`, `zh`, and the account
//! mails' in `account`).

mod account;
mod en;
pub mod summary;
mod zh;

use std::collections::BTreeMap;

use types::{
    Locale, Role, TextEnum,
    analytics::alerts::{Comparison, Metric},
    catalog::Money,
    notice_templates::{
        TemplateKey, TemplateKind,
        TemplateKind::{Account, Notice},
        TemplateText, Variable,
    },
    notifications::NotificationKind::{self, *},
    profile::NotificationChannel,
    review::ReviewKind,
};

/// What every kind offers: the reader's name, the page to act on, the store's address.
const COMMON: [&str; 3] = ["name", "link", "site"];

/// The variables `kind` offers besides [`COMMON`].
fn own_variables(kind: NotificationKind) -> &'static [&'static str] {
    match kind {
        SubmissionApproved | SubmissionRejected | ChangesRequested => &["title", "what", "feedback"],
        AlertCrossed | AlertRecovered => &["title", "figure", "value", "side", "threshold", "minutes"],
        WebhookDisabled => &["title", "days"],
        OrderPaid | OrderRefunded => &["order", "amount"],
        OrderShipped => &["order", "sub_order", "carrier", "tracking"],
        OrderDelivered | OrderCancelled => &["order", "sub_order"],
        SaleToShip => &["sub_order", "items", "pieces", "item_lines", "destination"],
        SaleCancelled => &["sub_order"],
        PayoutApproved | PayoutPaid => &["amount"],
        PayoutRejected => &["amount", "reason"],
        NewSignIn => &["browser"],
        PasswordChanged => &[],
        PayoutRequested => &["maker", "amount"],
        ReviewDigest => &["count", "new_items"],
        StockLow => &["title", "stock", "stock_left"],
        CertificateExpiring => &["title", "days", "expires"],
        MailBounced => &["title"],
        Announcement => &["title", "body"],
        RatingPublished => &["title", "stars", "review"],
        RoleGranted | RoleRemoved => &["role"],
        WeeklySummary => &["from", "to", "figures", "visitors", "orders", "sales"],
    }
}

/// Every variable a template of `kind` may name.
pub fn variables(kind: TemplateKind) -> Vec<&'static str> {
    match kind {
        Notice(kind) => COMMON.iter().chain(own_variables(kind)).copied().collect(),
        Account(mail) => account::variables(mail).to_vec(),
    }
}

/// The variables a template of `kind` must name: an account mail that is a one-time
/// link is useless without it.
pub fn required(kind: TemplateKind) -> &'static [&'static str] {
    match kind {
        Account(mail) if mail.carries_link() => &["link"],
        _ => &[],
    }
}

/// The variables of `kind` with what they hold (in `reader`'s language) and the
/// example value the preview uses (in `locale`, the template's).
pub fn described(kind: TemplateKind, reader: Locale, locale: Locale, name: &str, site: &str) -> Vec<Variable> {
    let samples = sample_values(kind, locale, name, site);
    variables(kind)
        .into_iter()
        .map(|variable| Variable {
            name: variable.to_owned(),
            meaning: meaning(kind, variable, reader).to_owned(),
            sample: samples.get(variable).cloned().unwrap_or_default(),
        })
        .collect()
}

fn meaning(kind: TemplateKind, variable: &str, locale: Locale) -> &'static str {
    let zh = locale == Locale::Zh;
    match (variable, kind) {
        ("link", Account(_)) => {
            if zh {
                "一次性链接的完整地址"
            } else {
                "The full address of the one-time link"
            }
        }
        ("name", _) => {
            if zh {
                "收件人的姓名"
            } else {
                "The reader's name"
            }
        }
        ("link", _) => {
            if zh {
                "处理此通知的页面完整地址"
            } else {
                "The full address of the page to act on it"
            }
        }
        ("site", _) => {
            if zh {
                "商店地址，不含末尾斜杠"
            } else {
                "The store's address, without a trailing slash"
            }
        }
        ("title", Notice(WebhookDisabled)) => {
            if zh {
                "端点地址"
            } else {
                "The endpoint's address"
            }
        }
        ("title", Notice(MailBounced)) => {
            if zh {
                "被退回的邮箱地址"
            } else {
                "The address that bounced"
            }
        }
        ("title", Notice(AlertCrossed | AlertRecovered)) => {
            if zh {
                "提醒规则的名称"
            } else {
                "The alert rule's name"
            }
        }
        ("title", Notice(Announcement)) => {
            if zh {
                "公告标题（读者的语言）"
            } else {
                "The announcement's title, in the reader's language"
            }
        }
        ("title", _) => {
            if zh {
                "所涉及内容的名称"
            } else {
                "The name of what it is about"
            }
        }
        ("what", _) => {
            if zh {
                "所提交内容的类型，如“产品”"
            } else {
                "What was submitted, such as “product”"
            }
        }
        ("feedback", _) => {
            if zh {
                "审核员的反馈"
            } else {
                "The reviewer's feedback"
            }
        }
        ("figure", _) => {
            if zh {
                "所监测的数据"
            } else {
                "The figure watched"
            }
        }
        ("value", _) => {
            if zh {
                "当前数值"
            } else {
                "Its value now"
            }
        }
        ("side", _) => {
            if zh {
                "“高于”或“低于”"
            } else {
                "“above” or “below”"
            }
        }
        ("threshold", _) => {
            if zh {
                "阈值"
            } else {
                "The threshold"
            }
        }
        ("minutes", _) => {
            if zh {
                "统计窗口（分钟）"
            } else {
                "The window, in minutes"
            }
        }
        ("days", Notice(CertificateExpiring)) => {
            if zh {
                "距到期的天数"
            } else {
                "Days until it expires"
            }
        }
        ("days", _) => {
            if zh {
                "连续失败的天数"
            } else {
                "Days it failed"
            }
        }
        ("order", _) => {
            if zh {
                "订单号"
            } else {
                "The order's number"
            }
        }
        ("sub_order", _) => {
            if zh {
                "子订单号（一位制造商的部分）"
            } else {
                "The part's number (one maker's share)"
            }
        }
        ("amount", _) => {
            if zh {
                "金额，按读者的语言书写"
            } else {
                "The amount, written for the reader"
            }
        }
        ("carrier", _) => {
            if zh {
                "承运商"
            } else {
                "The carrier"
            }
        }
        ("tracking", _) => {
            if zh {
                "运单号"
            } else {
                "The tracking number"
            }
        }
        ("items", _) => {
            if zh {
                "件数"
            } else {
                "How many pieces"
            }
        }
        ("pieces", _) => {
            if zh {
                "件数，如“3 件”"
            } else {
                "How many pieces, as “3 items”"
            }
        }
        ("item_lines", _) => {
            if zh {
                "每行一种商品及数量"
            } else {
                "One line per product and quantity"
            }
        }
        ("destination", _) => {
            if zh {
                "收货城市和国家"
            } else {
                "The city and country it goes to"
            }
        }
        ("reason", _) => {
            if zh {
                "拒绝原因"
            } else {
                "Why it was rejected"
            }
        }
        ("browser", _) => {
            if zh {
                "登录所用的浏览器"
            } else {
                "The browser that signed in"
            }
        }
        ("maker", _) => {
            if zh {
                "制造商名称"
            } else {
                "The maker's name"
            }
        }
        ("count", _) => {
            if zh {
                "新增项目数"
            } else {
                "How many new items"
            }
        }
        ("new_items", _) => {
            if zh {
                "新增项目，如“3 项”"
            } else {
                "The new items, as “3 new items”"
            }
        }
        ("stock", _) => {
            if zh {
                "剩余数量"
            } else {
                "How many are left"
            }
        }
        ("stock_left", _) => {
            if zh {
                "剩余情况，如“仅剩 2 件”"
            } else {
                "What is left, as “only 2 left” or “sold out”"
            }
        }
        ("expires", _) => {
            if zh {
                "到期日期"
            } else {
                "The day it expires"
            }
        }
        ("stars", _) => {
            if zh {
                "星级，1 到 5"
            } else {
                "The stars, 1 to 5"
            }
        }
        ("review", _) => {
            if zh {
                "顾客写的评价"
            } else {
                "What the customer wrote"
            }
        }
        ("body", _) => {
            if zh {
                "公告正文（读者的语言）"
            } else {
                "The announcement's text, in the reader's language"
            }
        }
        ("role", _) => {
            if zh {
                "角色名称"
            } else {
                "The role's name"
            }
        }
        ("from", _) => {
            if zh {
                "该周的第一天"
            } else {
                "The week's first day"
            }
        }
        ("to", _) => {
            if zh {
                "该周的最后一天"
            } else {
                "The week's last day"
            }
        }
        ("figures", _) => {
            if zh {
                "每行一项数据及其与前一周相比的变化"
            } else {
                "One figure per line, with its change against the week before"
            }
        }
        ("visitors", _) => {
            if zh {
                "访客数"
            } else {
                "How many visitors"
            }
        }
        ("orders", _) => {
            if zh {
                "已付款订单数"
            } else {
                "How many paid orders"
            }
        }
        ("sales", _) => {
            if zh {
                "销售额，按读者的语言书写"
            } else {
                "What the paid orders came to, written for the reader"
            }
        }
        _ => "",
    }
}

/// The values a notice of `kind` fills its template with, for a reader in `locale`:
/// its stored parameters, the common ones, and those written for the language
/// (money, counted words, what was reviewed).
pub fn values(
    kind: NotificationKind,
    locale: Locale,
    params: &BTreeMap<String, String>,
    name: &str,
    link: &str,
    site: &str,
) -> BTreeMap<String, String> {
    let zh = locale == Locale::Zh;
    let mut values = params.clone();
    let param = |key: &str| params.get(key).map(String::as_str).unwrap_or_default();
    let mut put = |key: &str, value: String| values.insert(key.to_owned(), value);
    put("name", name.to_owned());
    put("link", link.to_owned());
    put("site", site.to_owned());
    if params.contains_key("amount") {
        put("amount", Money::new(param("amount").parse().unwrap_or_default(), param("currency")).format(locale));
    }
    if let Some(what) = ReviewKind::parse(param("review_kind")) {
        put("what", review_kind(what, locale).to_owned());
    }
    match kind {
        Announcement => {
            put("title", param(if zh { "title_zh" } else { "title_en" }).to_owned());
            put("body", param(if zh { "body_zh" } else { "body_en" }).to_owned());
        }
        SaleToShip => {
            let items = param("items");
            put(
                "pieces",
                if zh {
                    format!("共 {items} 件")
                } else if items == "1" {
                    "1 item".into()
                } else {
                    format!("{items} items")
                },
            );
        }
        ReviewDigest => {
            let count = param("count");
            put(
                "new_items",
                if zh {
                    format!("{count} 项")
                } else if count == "1" {
                    "1 new item".into()
                } else {
                    format!("{count} new items")
                },
            );
        }
        StockLow => {
            let stock = param("stock");
            put(
                "stock_left",
                match (zh, stock) {
                    (false, "0") => "sold out".into(),
                    (false, n) => format!("only {n} left"),
                    (true, "0") => "已售罄".into(),
                    (true, n) => format!("仅剩 {n} 件"),
                },
            );
        }
        AlertCrossed | AlertRecovered => {
            let metric = Metric::parse(param("metric"));
            let unit = if metric.is_some_and(Metric::is_share) { "%" } else { "" };
            put("value", format!("{}{unit}", param("value")));
            put("threshold", format!("{}{unit}", param("threshold")));
            if let Some(metric) = metric {
                put("figure", figure(metric, locale).to_owned());
            }
            if let Some(side) = Comparison::parse(param("comparison")) {
                put(
                    "side",
                    match (side, zh) {
                        (Comparison::Above, false) => "above",
                        (Comparison::Below, false) => "below",
                        (Comparison::Above, true) => "高于",
                        (Comparison::Below, true) => "低于",
                    }
                    .to_owned(),
                );
            }
        }
        RoleGranted | RoleRemoved => {
            if let Some(role) = Role::parse(param("role")) {
                put("role", role_name(role, locale).to_owned());
            }
        }
        WeeklySummary => summary::put_values(locale, params, &mut values),
        _ => {}
    }
    values
}

fn role_name(role: Role, locale: Locale) -> &'static str {
    match (role, locale) {
        (Role::Customer, Locale::En) => "customer",
        (Role::Creator, Locale::En) => "creator",
        (Role::Reviewer, Locale::En) => "reviewer",
        (Role::Admin, Locale::En) => "admin",
        (Role::Customer, Locale::Zh) => "顾客",
        (Role::Creator, Locale::Zh) => "创作者",
        (Role::Reviewer, Locale::Zh) => "审核员",
        (Role::Admin, Locale::Zh) => "管理员",
    }
}

fn review_kind(kind: ReviewKind, locale: Locale) -> &'static str {
    match (kind, locale) {
        (ReviewKind::CreatorVerification, Locale::En) => "application to sell",
        (ReviewKind::ProductSubmission, Locale::En) => "product",
        (ReviewKind::PortfolioItem, Locale::En) => "portfolio item",
        (ReviewKind::CertificationApplication, Locale::En) => "certification application",
        (ReviewKind::Rating, Locale::En) => "review",
        (ReviewKind::CreatorVerification, Locale::Zh) => "创作者申请",
        (ReviewKind::ProductSubmission, Locale::Zh) => "产品",
        (ReviewKind::PortfolioItem, Locale::Zh) => "作品集条目",
        (ReviewKind::CertificationApplication, Locale::Zh) => "认证申请",
        (ReviewKind::Rating, Locale::Zh) => "评价",
    }
}

fn figure(metric: Metric, locale: Locale) -> &'static str {
    match (metric, locale) {
        (Metric::PaidOrders, Locale::En) => "Paid orders",
        (Metric::Refunds, Locale::En) => "Refunds",
        (Metric::PageViews, Locale::En) => "Page views",
        (Metric::CheckoutsStarted, Locale::En) => "Checkouts started",
        (Metric::ZeroResultShare, Locale::En) => "Searches that found nothing",
        (Metric::PaidOrders, Locale::Zh) => "已付款订单",
        (Metric::Refunds, Locale::Zh) => "退款",
        (Metric::PageViews, Locale::Zh) => "页面浏览",
        (Metric::CheckoutsStarted, Locale::Zh) => "发起结账",
        (Metric::ZeroResultShare, Locale::Zh) => "无结果搜索占比",
    }
}

/// Made-up but typical parameters of a notice of `kind`, for previews and tests.
pub fn sample_params(kind: NotificationKind) -> BTreeMap<String, String> {
    let pairs: &[(&str, &str)] = match kind {
        SubmissionApproved | SubmissionRejected | ChangesRequested => &[
            ("title", "Kestrel X4 Survey Quad"),
            ("review_kind", "product_submission"),
            ("feedback", "The photos show the frame clearly; the battery rating is on the label."),
        ],
        AlertCrossed | AlertRecovered => &[
            ("title", "Fewer paid orders"),
            ("metric", "paid_orders"),
            ("value", "2"),
            ("threshold", "5"),
            ("comparison", "below"),
            ("minutes", "60"),
        ],
        WebhookDisabled => &[("title", "https://shop.example.com/hooks/openaero"), ("days", "3")],
        OrderPaid | OrderRefunded => &[("order", "OA-7Q4K2M"), ("amount", "129900"), ("currency", "EUR")],
        OrderShipped => &[
            ("order", "OA-7Q4K2M"),
            ("sub_order", "OA-7Q4K2M-1"),
            ("carrier", "DHL Express"),
            ("tracking", "JD014600006281234567"),
        ],
        OrderDelivered | OrderCancelled => &[("order", "OA-7Q4K2M"), ("sub_order", "OA-7Q4K2M-1")],
        SaleToShip => &[
            ("sub_order", "OA-7Q4K2M-1"),
            ("items", "3"),
            ("item_lines", "  2 × Kestrel X4 Survey Quad\n  1 × Spare battery 6S 5000 mAh"),
            ("destination", "Lyon, FR"),
        ],
        SaleCancelled => &[("sub_order", "OA-7Q4K2M-1")],
        PayoutApproved | PayoutPaid => &[("amount", "84250"), ("currency", "EUR")],
        PayoutRejected => &[
            ("amount", "84250"),
            ("currency", "EUR"),
            ("reason", "The bank account's name does not match the shop's."),
        ],
        NewSignIn => &[("browser", "Firefox on Linux")],
        PasswordChanged => &[],
        PayoutRequested => &[("maker", "Kestrel Robotics"), ("amount", "84250"), ("currency", "EUR")],
        ReviewDigest => &[("count", "4")],
        StockLow => &[("title", "Kestrel X4 Survey Quad"), ("stock", "2")],
        CertificateExpiring => &[("title", "Kestrel X4 Survey Quad"), ("days", "30"), ("expires", "2027-01-06")],
        MailBounced => &[("title", "ada@example.com")],
        RatingPublished => &[
            ("title", "Kestrel X4 Survey Quad"),
            ("stars", "5"),
            ("review", "Flew 40 minutes on one battery and mapped the whole field."),
        ],
        Announcement => &[
            ("title_en", "Shipping pauses over the holidays"),
            ("body_en", "Orders placed from 24 to 26 December ship on the 27th."),
            ("title_zh", "假期期间暂停发货"),
            ("body_zh", "12 月 24 日至 26 日的订单将于 27 日发货。"),
        ],
        RoleGranted | RoleRemoved => &[("role", "creator")],
        WeeklySummary => &[
            ("from", "2026-11-30"),
            ("to", "2026-12-06"),
            ("visitors", "1240"),
            ("visitors_before", "1100"),
            ("sessions", "1630"),
            ("sessions_before", "1500"),
            ("page_views", "7410"),
            ("page_views_before", "6900"),
            ("orders", "31"),
            ("orders_before", "27"),
            ("revenue", "4127000"),
            ("revenue_before", "3610000"),
            ("currency", "EUR"),
            ("refunds", "1"),
            ("refunds_before", "2"),
            ("conversion_bps", "190"),
        ],
    };
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The values a preview of `kind` in `locale` fills in, for a reader called `name`.
pub fn sample_values(kind: TemplateKind, locale: Locale, name: &str, site: &str) -> BTreeMap<String, String> {
    match kind {
        Notice(kind) => {
            values(kind, locale, &sample_params(kind), name, &format!("{site}/account/notifications"), site)
        }
        Account(mail) => account::sample_values(mail, name, site),
    }
}

/// The text the code first wrote for `key`: version 1 of its template.
pub fn default(key: TemplateKey) -> TemplateText {
    match key.kind {
        Notice(kind) => notice_default(kind, key.channel, key.locale),
        Account(mail) => self::mail(account::default(mail, key.locale)),
    }
}

fn notice_default(kind: NotificationKind, channel: NotificationChannel, locale: Locale) -> TemplateText {
    let (line, (subject, body)) = match locale {
        Locale::En => (en::in_app(kind), en::email(kind)),
        Locale::Zh => (zh::in_app(kind), zh::email(kind)),
    };
    match channel {
        NotificationChannel::Email => mail((subject, body)),
        // A text is the app's line, signed and with where to act on it.
        NotificationChannel::Sms => {
            TemplateText { subject: String::new(), body: format!("OpenAero: {line} {{{{link}}}}") }
        }
        // A push notice is titled like the mail and says what the app's line says.
        NotificationChannel::Push => TemplateText { subject: subject.to_owned(), body: line.to_owned() },
        NotificationChannel::InApp => TemplateText { subject: String::new(), body: line.to_owned() },
    }
}

fn mail((subject, body): (&str, &str)) -> TemplateText {
    TemplateText { subject: subject.to_owned(), body: body.to_owned() }
}

#[cfg(test)]
mod tests {
    use types::notice_templates::check;

    use super::*;
    use crate::notifications::notice_templates::every_key;

    #[test]
    fn every_first_version_names_only_its_kinds_variables() {
        for key in every_key() {
            let text = default(key);
            let allowed = variables(key.kind);
            assert_eq!(check(&text.subject, &allowed), Ok(()), "{key:?} subject");
            assert_eq!(check(&text.body, &allowed), Ok(()), "{key:?} body");
            assert!(!text.body.is_empty(), "{key:?}");
            for needed in required(key.kind) {
                assert!(types::notice_templates::uses(&text.body, needed), "{key:?} leaves out {needed}");
            }
            assert_eq!(text.subject.is_empty(), !types::notice_templates::has_subject(key.channel), "{key:?}");
        }
    }

    #[test]
    fn every_variable_is_explained_and_has_an_example() {
        for key in every_key() {
            for variable in described(key.kind, key.locale, key.locale, "Ada", "https://openaero.example") {
                assert!(!variable.meaning.is_empty(), "{key:?} {}", variable.name);
                assert!(!variable.sample.is_empty(), "{key:?} {} has no example", variable.name);
            }
        }
    }

    #[test]
    fn values_are_written_for_the_reader() {
        let params = sample_params(StockLow);
        let en = values(StockLow, Locale::En, &params, "Ada", "l", "s");
        let zh = values(StockLow, Locale::Zh, &params, "Ada", "l", "s");
        assert_eq!(en["stock_left"], "only 2 left");
        assert_eq!(zh["stock_left"], "仅剩 2 件");
        let paid = values(OrderPaid, Locale::En, &sample_params(OrderPaid), "Ada", "l", "s");
        assert_eq!(paid["amount"], Money::new(129_900, "EUR").format(Locale::En));
        let news = values(Announcement, Locale::Zh, &sample_params(Announcement), "Ada", "l", "s");
        assert_eq!(news["title"], "假期期间暂停发货");
        let role = values(RoleGranted, Locale::Zh, &sample_params(RoleGranted), "Ada", "l", "s");
        assert_eq!(role["role"], "创作者");
    }
}
