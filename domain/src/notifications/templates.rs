//! The account mails, in both languages. Plain text; HTML templates with variables
//! per type, channel and locale arrive with the notifications module.

use std::collections::BTreeMap;

use types::TextEnum;
use types::{
    Locale,
    analytics::{
        Overview,
        alerts::{Comparison, Metric, RuleDraft},
        change_percent,
    },
    catalog::Money,
    money::PayoutStatus,
};

use super::mail::Mail;

pub fn verify_email(locale: Locale, to: &str, name: &str, link: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Confirm your email for OpenAero".to_owned(),
            format!(
                "Hello {name},\n\nPlease confirm your email address by opening this link:\n\n{link}\n\n\
                 The link works once and expires in 48 hours. If you did not create an OpenAero \
                 account, ignore this mail.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "请确认您在 OpenAero 的邮箱".to_owned(),
            format!(
                "{name}，您好：\n\n请打开以下链接确认您的邮箱地址：\n\n{link}\n\n\
                 该链接只能使用一次，48 小时内有效。如果您没有注册 OpenAero 账户，请忽略此邮件。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

pub fn welcome(locale: Locale, to: &str, name: &str, base_url: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Welcome to OpenAero".to_owned(),
            format!(
                "Hello {name},\n\nYour email is confirmed and your account is ready. Browse certified \
                 drones, parts and payloads from independent makers at {base_url}/\n\n\
                 Build drones yourself? Apply to sell from your account page.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "欢迎来到 OpenAero".to_owned(),
            format!(
                "{name}，您好：\n\n您的邮箱已确认，账户已可使用。在 {base_url}/ 浏览独立制造商的认证无人机、\
                 配件和载荷。\n\n您自己制造无人机？可在账户页面申请成为创作者。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

pub fn duplicate_registration(locale: Locale, to: &str, name: &str, base_url: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Someone tried to sign up with your email".to_owned(),
            format!(
                "Hello {name},\n\nSomeone tried to create an OpenAero account with this email, which \
                 already has one. If it was you, log in at {base_url}/login — or reset your password \
                 at {base_url}/forgot-password if you forgot it.\n\nIf it was not you, nothing changed \
                 and you can ignore this mail.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "有人尝试用您的邮箱注册".to_owned(),
            format!(
                "{name}，您好：\n\n有人尝试用此邮箱注册 OpenAero 账户，但该邮箱已有账户。如果是您本人，\
                 请在 {base_url}/login 登录；如果忘记了密码，请在 {base_url}/forgot-password 重置。\n\n\
                 如果不是您本人，您的账户没有任何变化，请忽略此邮件。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

pub fn reset_password(locale: Locale, to: &str, name: &str, link: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Reset your OpenAero password".to_owned(),
            format!(
                "Hello {name},\n\nTo choose a new password, open this link:\n\n{link}\n\n\
                 It works once and expires in 1 hour. If you did not ask for this, ignore this mail; \
                 your password stays as it is.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "重置您的 OpenAero 密码".to_owned(),
            format!(
                "{name}，您好：\n\n请打开以下链接设置新密码：\n\n{link}\n\n\
                 该链接只能使用一次，1 小时内有效。如果不是您本人操作，请忽略此邮件，您的密码不会改变。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

pub fn password_changed(locale: Locale, to: &str, name: &str, base_url: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Your OpenAero password was changed".to_owned(),
            format!(
                "Hello {name},\n\nYour password was just changed and every other session was signed \
                 out. If this was not you, reset your password now at {base_url}/forgot-password.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "您的 OpenAero 密码已更改".to_owned(),
            format!(
                "{name}，您好：\n\n您的密码刚刚被更改，其他所有会话均已退出。如果不是您本人操作，\
                 请立即在 {base_url}/forgot-password 重置密码。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// Someone signed in from a browser the account had not used.
pub fn account_closed(locale: Locale, to: &str, name: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "Your OpenAero account is closed".to_owned(),
            format!(
                "Hello {name},\n\nYour OpenAero account was closed as you asked. Your profile, addresses and \
                 messages are erased; your past orders are kept for our accounts without your name or street. \
                 If you did not ask for this, reply to this mail at once.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "您的 OpenAero 账户已注销".to_owned(),
            format!(
                "{name}，您好：\n\n您的 OpenAero 账户已按您的要求注销。您的资料、地址和消息已删除；\
                 过往订单因账务需要保留，但不再包含您的姓名和街道地址。如果这不是您本人的操作，请立即回复此邮件。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

pub fn new_sign_in(locale: Locale, to: &str, name: &str, browser: &str, base_url: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            "New sign-in to your OpenAero account".to_owned(),
            format!(
                "Hello {name},\n\nSomeone just signed in to your account from {browser}, a browser you had \
                 not used with it before. If this was you, there is nothing to do.\n\nIf it was not, change \
                 your password now at {base_url}/account/security: that signs every other device out.\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            "您的 OpenAero 账户有新的登录".to_owned(),
            format!(
                "{name}，您好：\n\n您的账户刚刚在 {browser} 上登录，此前未在该浏览器上使用过。如果是您本人，\
                 无需任何操作。\n\n如果不是，请立即在 {base_url}/account/security 修改密码，其他设备都会随之退出。\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// An admin granted or removed one of the person's roles: they hear of it, so a change
/// they did not expect does not go unnoticed.
pub fn roles_changed(locale: Locale, to: &str, name: &str, role: types::Role, granted: bool, base_url: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => {
            let role = role.as_str();
            let (subject, what) = if granted {
                (format!("You now have the {role} role on OpenAero"), format!("An admin gave you the {role} role."))
            } else {
                (format!("Your {role} role on OpenAero was removed"), format!("An admin removed your {role} role."))
            };
            let body = format!(
                "Hello {name},\n\n{what} If you did not expect this, reply to this mail or write to us \
                 from {base_url}/account.\n\n— OpenAero"
            );
            (subject, body)
        }
        Locale::Zh => {
            let role = match role {
                types::Role::Customer => "顾客",
                types::Role::Creator => "创作者",
                types::Role::Reviewer => "审核员",
                types::Role::Admin => "管理员",
            };
            let (subject, what) = if granted {
                (format!("您已获得 OpenAero 的{role}角色"), format!("一位管理员授予了您{role}角色。"))
            } else {
                (format!("您在 OpenAero 的{role}角色已被移除"), format!("一位管理员移除了您的{role}角色。"))
            };
            let body = format!(
                "{name}，您好：\n\n{what}如果这不在您的预期之内，请回复此邮件，或通过 {base_url}/account 联系我们。\n\n— OpenAero"
            );
            (subject, body)
        }
    };
    Mail { to: to.to_owned(), subject, body }
}

/// A reviewer decided something a creator submitted.
#[expect(clippy::too_many_arguments, reason = "one mail, every part of it named")]
pub fn review_decision(
    locale: Locale,
    to: &str,
    name: &str,
    title: &str,
    kind: types::review::ReviewKind,
    decision: types::review::Decision,
    feedback: &str,
    link: &str,
) -> Mail {
    use types::review::{Decision, ReviewKind};
    let what_en = match kind {
        ReviewKind::CreatorVerification => "application to sell",
        ReviewKind::ProductSubmission => "product",
        ReviewKind::PortfolioItem => "portfolio item",
        ReviewKind::CertificationApplication => "certification application",
        ReviewKind::Rating => "review",
    };
    let what_zh = match kind {
        ReviewKind::CreatorVerification => "创作者申请",
        ReviewKind::ProductSubmission => "产品",
        ReviewKind::PortfolioItem => "作品集条目",
        ReviewKind::CertificationApplication => "认证申请",
        ReviewKind::Rating => "评价",
    };
    let (subject, body) = match (locale, decision) {
        (Locale::En, Decision::Approve) => (
            format!("Approved: your {what_en} “{title}”"),
            format!(
                "Hello {name},\n\nGood news: your {what_en} “{title}” was approved.\n\n{feedback}\n\n{link}\n\n— OpenAero"
            ),
        ),
        (Locale::En, Decision::Reject | Decision::RequestChanges) => (
            format!("Changes needed: your {what_en} “{title}”"),
            format!(
                "Hello {name},\n\nA reviewer looked at your {what_en} “{title}” and it needs changes before it \
                 can be approved:\n\n{feedback}\n\nFix it and submit it again here:\n{link}\n\n— OpenAero"
            ),
        ),
        (Locale::Zh, Decision::Approve) => (
            format!("已通过：您的{what_zh}“{title}”"),
            format!("{name}，您好：\n\n您的{what_zh}“{title}”已通过审核。\n\n{feedback}\n\n{link}\n\n— OpenAero"),
        ),
        (Locale::Zh, Decision::Reject | Decision::RequestChanges) => (
            format!("需要修改：您的{what_zh}“{title}”"),
            format!(
                "{name}，您好：\n\n审核员查看了您的{what_zh}“{title}”，通过前需要修改：\n\n{feedback}\n\n\
                 请修改后在此重新提交：\n{link}\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// What happened to an order, for the customer's mail.
#[derive(Debug, Clone)]
pub enum OrderUpdate {
    Paid { total: Money },
    Shipped { sub_order: String, carrier: String, tracking: String },
    Delivered { sub_order: String },
    Cancelled { sub_order: String },
    Refunded { amount: Money },
}

impl OrderUpdate {
    /// What the in-app notice keeps, to say it again in the reader's language.
    pub fn params(&self, order: &str) -> BTreeMap<String, String> {
        let mut params = BTreeMap::from([("order".to_owned(), order.to_owned())]);
        let mut put = |key: &str, value: &str| params.insert(key.to_owned(), value.to_owned());
        match self {
            OrderUpdate::Paid { total: money } | OrderUpdate::Refunded { amount: money } => {
                put("amount", &money.minor.to_string());
                put("currency", &money.currency);
            }
            OrderUpdate::Shipped { sub_order, carrier, tracking } => {
                put("sub_order", sub_order);
                put("carrier", carrier);
                put("tracking", tracking);
            }
            OrderUpdate::Delivered { sub_order } | OrderUpdate::Cancelled { sub_order } => {
                put("sub_order", sub_order);
            }
        }
        params
    }
}

pub fn order_update(locale: Locale, to: &str, name: &str, number: &str, update: &OrderUpdate, link: &str) -> Mail {
    let (subject, news) = match (locale, update) {
        (Locale::En, OrderUpdate::Paid { total }) => (
            format!("Order {number} confirmed"),
            format!("Thank you for your order. We received your payment of {}.", total.format(locale)),
        ),
        (Locale::Zh, OrderUpdate::Paid { total }) => {
            (format!("订单 {number} 已确认"), format!("感谢您的订购，我们已收到您的付款 {}。", total.format(locale)))
        }
        (Locale::En, OrderUpdate::Shipped { sub_order, carrier, tracking }) => (
            format!("Order {number} shipped"),
            format!("Part {sub_order} of your order is on its way with {carrier}, tracking number {tracking}."),
        ),
        (Locale::Zh, OrderUpdate::Shipped { sub_order, carrier, tracking }) => (
            format!("订单 {number} 已发货"),
            format!("您订单中的 {sub_order} 已由 {carrier} 发出，运单号 {tracking}。"),
        ),
        (Locale::En, OrderUpdate::Delivered { sub_order }) => (
            format!("Order {number} delivered"),
            format!("Part {sub_order} of your order was delivered. Enjoy the flight!"),
        ),
        (Locale::Zh, OrderUpdate::Delivered { sub_order }) => {
            (format!("订单 {number} 已送达"), format!("您订单中的 {sub_order} 已送达，祝飞行愉快！"))
        }
        (Locale::En, OrderUpdate::Cancelled { sub_order }) => (
            format!("Order {number} cancelled"),
            format!("Part {sub_order} of your order was cancelled. Anything you paid for it is refunded."),
        ),
        (Locale::Zh, OrderUpdate::Cancelled { sub_order }) => {
            (format!("订单 {number} 已取消"), format!("您订单中的 {sub_order} 已取消，已付款项将退回。"))
        }
        (Locale::En, OrderUpdate::Refunded { amount }) => (
            format!("Refund for order {number}"),
            format!("We refunded {} to your card. It can take a few days to show.", amount.format(locale)),
        ),
        (Locale::Zh, OrderUpdate::Refunded { amount }) => (
            format!("订单 {number} 退款"),
            format!("我们已向您的银行卡退款 {}，到账可能需要几天。", amount.format(locale)),
        ),
    };
    let body = match locale {
        Locale::En => format!("Hello {name},\n\n{news}\n\nSee your order:\n{link}\n\n— OpenAero"),
        Locale::Zh => format!("{name}，您好：\n\n{news}\n\n查看订单：\n{link}\n\n— OpenAero"),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// What a maker hears of their part of an order.
#[derive(Debug, Clone)]
pub enum SaleUpdate {
    /// Paid: ship these (quantity, product) to this city and country (the full address
    /// is on the order's page, not in a mail that sits in an inbox).
    ToShip {
        items: Vec<(u32, String)>,
        destination: String,
    },
    Cancelled,
}

pub fn sale_update(locale: Locale, to: &str, name: &str, sub_order: &str, update: &SaleUpdate, link: &str) -> Mail {
    let (subject, news) = match (locale, update) {
        (Locale::En, SaleUpdate::ToShip { items, destination }) => (
            format!("New order {sub_order} to ship"),
            format!(
                "A customer paid for order {sub_order}. Please ship, to {destination}:\n\n{}\n\n\
                 The address and the button to mark it shipped are on the order's page.",
                item_lines(items)
            ),
        ),
        (Locale::Zh, SaleUpdate::ToShip { items, destination }) => (
            format!("新订单 {sub_order} 待发货"),
            format!(
                "顾客已为订单 {sub_order} 付款。请发往 {destination}：\n\n{}\n\n收货地址和“标记为已发货”按钮在订单页面上。",
                item_lines(items)
            ),
        ),
        (Locale::En, SaleUpdate::Cancelled) => (
            format!("Order {sub_order} cancelled"),
            format!("Order {sub_order} was cancelled before it shipped: please do not send it."),
        ),
        (Locale::Zh, SaleUpdate::Cancelled) => {
            (format!("订单 {sub_order} 已取消"), format!("订单 {sub_order} 在发货前已取消，请不要发货。"))
        }
    };
    let body = match locale {
        Locale::En => format!("Hello {name},\n\n{news}\n\n{link}\n\n— OpenAero"),
        Locale::Zh => format!("{name}，您好：\n\n{news}\n\n{link}\n\n— OpenAero"),
    };
    Mail { to: to.to_owned(), subject, body }
}

fn item_lines(items: &[(u32, String)]) -> String {
    items.iter().map(|(quantity, product)| format!("  {quantity} × {product}")).collect::<Vec<_>>().join("\n")
}

/// A payout moved: approved, rejected (with the reason) or paid.
pub fn payout_update(
    locale: Locale,
    to: &str,
    name: &str,
    amount: &Money,
    status: PayoutStatus,
    reason: &str,
    link: &str,
) -> Mail {
    let amount = amount.format(locale);
    let (subject, news) = match (locale, status) {
        (Locale::En, PayoutStatus::Approved) => {
            ("Payout approved".to_owned(), format!("Your payout of {amount} was approved and will be paid shortly."))
        }
        (Locale::En, PayoutStatus::Rejected) => (
            "Payout not approved".to_owned(),
            format!("Your payout of {amount} was not approved: {reason}\nThe money is back in your available balance."),
        ),
        (Locale::En, PayoutStatus::Paid | PayoutStatus::Requested) => {
            ("Payout sent".to_owned(), format!("We sent your payout of {amount} to your bank account."))
        }
        (Locale::Zh, PayoutStatus::Approved) => {
            ("提现已批准".to_owned(), format!("您 {amount} 的提现已批准，即将打款。"))
        }
        (Locale::Zh, PayoutStatus::Rejected) => {
            ("提现未获批准".to_owned(), format!("您 {amount} 的提现未获批准：{reason}\n该款项已退回可用余额。"))
        }
        (Locale::Zh, PayoutStatus::Paid | PayoutStatus::Requested) => {
            ("提现已打款".to_owned(), format!("您 {amount} 的提现已汇入您的银行账户。"))
        }
    };
    let body = match locale {
        Locale::En => format!("Hello {name},\n\n{news}\n\nSee your money:\n{link}\n\n— OpenAero"),
        Locale::Zh => format!("{name}，您好：\n\n{news}\n\n查看资金：\n{link}\n\n— OpenAero"),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// A maker asked to be paid: a finance admin decides it.
pub fn payout_requested(locale: Locale, to: &str, name: &str, maker: &str, amount: &Money, link: &str) -> Mail {
    let amount = amount.format(locale);
    let (subject, body) = match locale {
        Locale::En => (
            format!("Payout to decide: {amount} for {maker}"),
            format!("Hello {name},\n\n{maker} asked to be paid {amount}. Approve or reject it:\n{link}\n\n— OpenAero"),
        ),
        Locale::Zh => (
            format!("待审批提现：{maker} {amount}"),
            format!("{name}，您好：\n\n{maker} 申请提现 {amount}。请批准或拒绝：\n{link}\n\n— OpenAero"),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// What came into the review queue in an hour, for a reviewer.
pub fn review_digest(locale: Locale, to: &str, name: &str, count: i64, link: &str) -> Mail {
    let (subject, body) = match locale {
        Locale::En => {
            let items = if count == 1 { "1 new item".to_owned() } else { format!("{count} new items") };
            (
                format!("Review queue: {items}"),
                format!("Hello {name},\n\n{items} came into the review queue in the last hour:\n{link}\n\n— OpenAero"),
            )
        }
        Locale::Zh => (
            format!("审核队列：{count} 项新内容"),
            format!("{name}，您好：\n\n过去一小时审核队列中新增 {count} 项内容：\n{link}\n\n— OpenAero"),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// A sale left few of a maker's product (`left`, none when sold out).
pub fn stock_low(locale: Locale, to: &str, name: &str, product: &str, left: i32, link: &str) -> Mail {
    let (subject, news) = match (locale, left) {
        (Locale::En, 0) => {
            (format!("Sold out: {product}"), format!("“{product}” is sold out. Restock it to keep selling."))
        }
        (Locale::En, n) => {
            (format!("Only {n} left: {product}"), format!("Only {n} of “{product}” are left. Restock it soon."))
        }
        (Locale::Zh, 0) => (format!("已售罄：{product}"), format!("“{product}”已售罄，请补货以继续销售。")),
        (Locale::Zh, n) => (format!("仅剩 {n} 件：{product}"), format!("“{product}”仅剩 {n} 件，请尽快补货。")),
    };
    let body = match locale {
        Locale::En => format!("Hello {name},\n\n{news}\n\n{link}\n\n— OpenAero"),
        Locale::Zh => format!("{name}，您好：\n\n{news}\n\n{link}\n\n— OpenAero"),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// A product's certificate expires in `days` (30 or 7), on `expires`.
pub fn certificate_expiring(
    locale: Locale,
    to: &str,
    name: &str,
    product: &str,
    days: i64,
    expires: &str,
    link: &str,
) -> Mail {
    let (subject, body) = match locale {
        Locale::En => (
            format!("Certificate expires in {days} days: {product}"),
            format!(
                "Hello {name},\n\nThe certificate of “{product}” expires on {expires}. After that the product \
                 shows no certification in the store. Apply to renew it:\n{link}\n\n— OpenAero"
            ),
        ),
        Locale::Zh => (
            format!("认证将在 {days} 天后到期：{product}"),
            format!(
                "{name}，您好：\n\n“{product}”的认证将于 {expires} 到期，之后商店中将不再显示其认证。\
                 请申请续期：\n{link}\n\n— OpenAero"
            ),
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// An analytics alert crossed its threshold (`crossed`) or recovered.
pub fn analytics_alert(
    locale: Locale,
    to: &str,
    name: &str,
    rule: &RuleDraft,
    crossed: bool,
    value: i64,
    link: &str,
) -> Mail {
    let title = &rule.name;
    let minutes = rule.window_minutes;
    let unit = if rule.metric.is_share() { "%" } else { "" };
    let threshold = rule.threshold;
    let (subject, news) = match locale {
        Locale::En => {
            let figure = match rule.metric {
                Metric::PaidOrders => "Paid orders",
                Metric::Refunds => "Refunds",
                Metric::PageViews => "Page views",
                Metric::CheckoutsStarted => "Checkouts started",
                Metric::ZeroResultShare => "Searches that found nothing",
            };
            let side = match rule.comparison {
                Comparison::Below => "below",
                Comparison::Above => "above",
            };
            let state = if crossed { "crossed its threshold" } else { "recovered" };
            (
                format!("Alert “{title}” {state}"),
                format!(
                    "{figure} in the last {minutes} minutes: {value}{unit}. The alert is on when it is {side} \
                     {threshold}{unit}."
                ),
            )
        }
        Locale::Zh => {
            let figure = match rule.metric {
                Metric::PaidOrders => "已付款订单",
                Metric::Refunds => "退款",
                Metric::PageViews => "页面浏览",
                Metric::CheckoutsStarted => "发起结账",
                Metric::ZeroResultShare => "无结果搜索占比",
            };
            let side = match rule.comparison {
                Comparison::Below => "低于",
                Comparison::Above => "高于",
            };
            let state = if crossed { "已触发" } else { "已恢复" };
            (
                format!("提醒“{title}”{state}"),
                format!("最近 {minutes} 分钟的{figure}：{value}{unit}。该数值{side} {threshold}{unit} 时触发提醒。"),
            )
        }
    };
    let body = match locale {
        Locale::En => format!("Hello {name},\n\n{news}\n\nSee and change the alerts:\n{link}\n\n— OpenAero"),
        Locale::Zh => format!("{name}，您好：\n\n{news}\n\n查看和修改提醒：\n{link}\n\n— OpenAero"),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// A week of the store in figures, against the week before.
pub fn analytics_summary(locale: Locale, to: &str, name: &str, week: &Overview, link: &str) -> Mail {
    let (now, before) = (&week.current, &week.previous);
    let change = |n: i64, b: i64| match change_percent(n, b) {
        Some(c) if c >= 0 => format!(" (+{c} %)"),
        Some(c) => format!(" ({c} %)"),
        None => String::new(),
    };
    let percent = |bps: Option<i64>| bps.map_or("–".to_owned(), |b| format!("{}.{:02} %", b / 100, b % 100));
    let lines = [
        (now.visitors, before.visitors),
        (now.sessions, before.sessions),
        (now.page_views, before.page_views),
        (now.orders, before.orders),
        (now.revenue.minor, before.revenue.minor),
        (now.refunds, before.refunds),
    ];
    let [visitors, visits, views, orders, revenue, refunds] = lines.map(|(n, b)| change(n, b));
    let (from, until) = (&week.from, &week.to);
    let (subject, figures) = match locale {
        Locale::En => (
            format!("Your store's week: {from} to {until}"),
            format!(
                "Visitors: {}{visitors}\nVisits: {}{visits}\nPage views: {}{views}\nPaid orders: {}{orders}\n\
                 Sales: {}{revenue}\nConversion (orders per visit): {}\nRefunds: {}{refunds}\n\n\
                 Changes are against the week before.",
                now.visitors,
                now.sessions,
                now.page_views,
                now.orders,
                now.revenue.format(locale),
                percent(now.conversion_bps()),
                now.refunds
            ),
        ),
        Locale::Zh => (
            format!("商店本周概况：{from} 至 {until}"),
            format!(
                "访客：{}{visitors}\n访问：{}{visits}\n页面浏览：{}{views}\n已付款订单：{}{orders}\n\
                 销售额：{}{revenue}\n转化率（每次访问的订单）：{}\n退款：{}{refunds}\n\n变化均与前一周相比。",
                now.visitors,
                now.sessions,
                now.page_views,
                now.orders,
                now.revenue.format(locale),
                percent(now.conversion_bps()),
                now.refunds
            ),
        ),
    };
    let body = match locale {
        Locale::En => format!(
            "Hello {name},\n\n{figures}\n\nThe whole report:\n{link}\n\nYou get this mail because you asked for the \
             weekly analytics summary; switch it off in your notification preferences.\n\n— OpenAero"
        ),
        Locale::Zh => format!(
            "{name}，您好：\n\n{figures}\n\n完整报告：\n{link}\n\n您收到此邮件是因为订阅了每周数据摘要，可在通知偏好中关闭。\n\n— OpenAero"
        ),
    };
    Mail { to: to.to_owned(), subject, body }
}

/// The last lines of a mail its reader may stop: where to stop it, in one click.
pub fn unsubscribe_footer(locale: Locale, url: &str) -> String {
    match locale {
        Locale::En => format!("\n\n--\nTo stop these emails: {url}"),
        Locale::Zh => format!("\n\n--\n退订此类邮件：{url}"),
    }
}
