//! The account mails (confirming an address, a reset link, a role change, the weekly
//! summary), in both languages: sent once to whoever asked, outside the notices. The
//! notices' own words are templates admins edit (`texts`, `notice_templates`).

use types::{
    Locale, TextEnum,
    analytics::{Overview, change_percent},
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

/// The account was closed as its owner asked: the last mail to the address.
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
