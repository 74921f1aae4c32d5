//! The account mails' words as the code first wrote them (version 1 of each template),
//! what each offers, and its example values.

use std::collections::BTreeMap;

use types::{Locale, notice_templates::AccountMail};

/// Every variable a template of `mail` may name. Only the mails that are a one-time
/// link offer `link`, and they must use it.
pub fn variables(mail: AccountMail) -> &'static [&'static str] {
    if mail.carries_link() { &["name", "link", "site"] } else { &["name", "site"] }
}

/// What a preview of `mail` fills in.
pub fn sample_values(mail: AccountMail, name: &str, site: &str) -> BTreeMap<String, String> {
    let mut values = BTreeMap::from([("name".to_owned(), name.to_owned()), ("site".to_owned(), site.to_owned())]);
    let path = match mail {
        AccountMail::VerifyEmail => Some("verify-email"),
        AccountMail::ResetPassword => Some("reset-password"),
        _ => None,
    };
    if let Some(path) = path {
        values.insert("link".into(), format!("{site}/{path}?token=sample-token-for-the-preview"));
    }
    values
}

/// A mail's subject and body.
pub fn default(mail: AccountMail, locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::En => en(mail),
        Locale::Zh => zh(mail),
    }
}

fn en(mail: AccountMail) -> (&'static str, &'static str) {
    match mail {
        AccountMail::VerifyEmail => (
            "Confirm your email for OpenAero",
            "Hello {{name}},\n\nPlease confirm your email address by opening this link:\n\n{{link}}\n\n\
             The link works once and expires in 48 hours. If you did not create an OpenAero account, \
             ignore this mail.\n\n— OpenAero",
        ),
        AccountMail::Welcome => (
            "Welcome to OpenAero",
            "Hello {{name}},\n\nYour email is confirmed and your account is ready. Browse certified drones, \
             parts and payloads from independent makers at {{site}}/\n\n\
             Build drones yourself? Apply to sell from your account page.\n\n— OpenAero",
        ),
        AccountMail::DuplicateRegistration => (
            "Someone tried to sign up with your email",
            "Hello {{name}},\n\nSomeone tried to create an OpenAero account with this email, which already has \
             one. If it was you, log in at {{site}}/login — or reset your password at {{site}}/forgot-password \
             if you forgot it.\n\nIf it was not you, nothing changed and you can ignore this mail.\n\n— OpenAero",
        ),
        AccountMail::ResetPassword => (
            "Reset your OpenAero password",
            "Hello {{name}},\n\nTo choose a new password, open this link:\n\n{{link}}\n\n\
             It works once and expires in 1 hour. If you did not ask for this, ignore this mail; your password \
             stays as it is.\n\n— OpenAero",
        ),
        AccountMail::AccountClosed => (
            "Your OpenAero account is closed",
            "Hello {{name}},\n\nYour OpenAero account was closed as you asked. Your profile, addresses and \
             messages are erased; your past orders are kept for our accounts without your name or street. \
             If you did not ask for this, reply to this mail at once.\n\n— OpenAero",
        ),
    }
}

fn zh(mail: AccountMail) -> (&'static str, &'static str) {
    match mail {
        AccountMail::VerifyEmail => (
            "请确认您在 OpenAero 的邮箱",
            "{{name}}，您好：\n\n请打开以下链接确认您的邮箱地址：\n\n{{link}}\n\n\
             该链接只能使用一次，48 小时内有效。如果您没有注册 OpenAero 账户，请忽略此邮件。\n\n— OpenAero",
        ),
        AccountMail::Welcome => (
            "欢迎来到 OpenAero",
            "{{name}}，您好：\n\n您的邮箱已确认，账户已可使用。在 {{site}}/ 浏览独立制造商的认证无人机、\
             配件和载荷。\n\n您自己制造无人机？可在账户页面申请成为创作者。\n\n— OpenAero",
        ),
        AccountMail::DuplicateRegistration => (
            "有人尝试用您的邮箱注册",
            "{{name}}，您好：\n\n有人尝试用此邮箱注册 OpenAero 账户，但该邮箱已有账户。如果是您本人，\
             请在 {{site}}/login 登录；如果忘记了密码，请在 {{site}}/forgot-password 重置。\n\n\
             如果不是您本人，您的账户没有任何变化，请忽略此邮件。\n\n— OpenAero",
        ),
        AccountMail::ResetPassword => (
            "重置您的 OpenAero 密码",
            "{{name}}，您好：\n\n请打开以下链接设置新密码：\n\n{{link}}\n\n\
             该链接只能使用一次，1 小时内有效。如果不是您本人操作，请忽略此邮件，您的密码不会改变。\n\n— OpenAero",
        ),
        AccountMail::AccountClosed => (
            "您的 OpenAero 账户已注销",
            "{{name}}，您好：\n\n您的 OpenAero 账户已按您的要求注销。您的资料、地址和消息已删除；\
             过往订单因账务需要保留，但不再包含您的姓名和街道地址。如果这不是您本人的操作，请立即回复此邮件。\n\n— OpenAero",
        ),
    }
}
