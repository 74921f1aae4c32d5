//! Notice templates: an admin's words are what the next notice says, in the reader's
//! language and on its channel; a text naming a variable its kind lacks is refused;
//! two admins cannot overwrite each other unseen; an earlier version comes back; and
//! only those who may write to people (users.manage) see or change them.

use std::collections::BTreeMap;

use domain::{
    Error,
    notifications::{in_app, notice_templates},
    users::{
        notices::{self, Notice},
        profile,
    },
};
use reqwest::StatusCode;
use types::{
    ErrorCode, Locale, Role,
    catalog::Money,
    notice_templates::{AccountMail, Outcome, TemplateKey, TemplateKind, TemplateText},
    notifications::NotificationKind,
    profile::{NotificationChannel, Preferences},
};

use crate::{
    helpers::{PASSWORD, new_client, services, spawn_app},
    notification_centre::person,
    notifications::{dispatch, mail_to},
};

fn text(subject: &str, body: &str) -> TemplateText {
    TemplateText { subject: subject.into(), body: body.into() }
}

fn refused_fields(result: domain::Result<i32>) -> Vec<(String, ErrorCode)> {
    let Err(Error::Validation(fields)) = result else { panic!("not refused: {result:?}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn paid(user: types::UserId) -> Notice {
    Notice {
        user,
        kind: NotificationKind::OrderPaid,
        params: BTreeMap::from([
            ("order".to_owned(), "OA-7Q4K2M".to_owned()),
            ("amount".to_owned(), "129900".to_owned()),
            ("currency".to_owned(), "EUR".to_owned()),
        ]),
        link: "/orders/OA-7Q4K2M".to_owned(),
    }
}

#[tokio::test]
async fn an_edited_template_words_the_next_notice_in_its_readers_language_and_an_earlier_version_comes_back() {
    let services = services().await;
    let pool = &services.pool;
    let register = |name: &'static str, email: &'static str, role: Role| {
        let services = services.clone();
        async move {
            domain::users::register::create_verified(&services, name, email, PASSWORD, &[role]).await.expect(email).0
        }
    };
    let admin = register("Ada", "ada@example.com", Role::Admin).await;
    let li = register("Li Wei", "li@example.com", Role::Customer).await;
    let bo = register("Bo", "bo@example.com", Role::Customer).await;
    profile::update_preferences(&services, li, Preferences::defaults(Locale::Zh)).await.expect("zh");
    let zh_mail = TemplateKey {
        kind: NotificationKind::OrderPaid.into(),
        channel: NotificationChannel::Email,
        locale: Locale::Zh,
    };

    assert_eq!(
        refused_fields(
            notice_templates::save(&services, admin, zh_mail, 1, &text("订单 {{order}}", "{{name}}：{{coupon}}")).await
        ),
        [("body".to_owned(), ErrorCode::TemplateUnknownVariable)],
        "a variable the kind does not offer"
    );
    assert_eq!(
        refused_fields(notice_templates::save(&services, admin, zh_mail, 1, &text("订单 {{order", "{{name}}")).await),
        [("subject".to_owned(), ErrorCode::TemplateMalformed)]
    );
    let in_app_en = TemplateKey { channel: NotificationChannel::InApp, locale: Locale::En, ..zh_mail };
    assert_eq!(
        refused_fields(notice_templates::save(&services, admin, in_app_en, 1, &text("A subject", "{{order}}")).await),
        [("subject".to_owned(), ErrorCode::InvalidInput)],
        "the app shows one line, with no subject"
    );

    let saved = text("您的订单 {{order}} 已付款", "{{name}}：已收到 {{amount}}。\n{{link}}");
    assert_eq!(notice_templates::save(&services, admin, zh_mail, 1, &saved).await.expect("saved"), 2);
    let stale = notice_templates::save(&services, admin, zh_mail, 1, &text("x {{order}}", "y")).await;
    assert!(matches!(stale, Err(Error::Conflict(ErrorCode::TemplateChanged))), "{stale:?}");
    let line = text("", "Paid: {{order}} ({{amount}})");
    assert_eq!(notice_templates::save(&services, admin, in_app_en, 1, &line).await.expect("saved"), 2);

    notices::send(&services, "test:li", paid(li)).await.expect("told");
    notices::send(&services, "test:bo", paid(bo)).await.expect("told");
    dispatch(&services).await;
    let euros = |locale| Money::new(129_900, "EUR").format(locale);
    let li_mail = mail_to(pool, li).await;
    assert!(
        li_mail.iter().any(|(subject, body)| subject.ends_with("您的订单 OA-7Q4K2M 已付款")
            && body.contains(&format!("\nLi Wei：已收到 {}。\n", euros(Locale::Zh)))
            && body.contains("/orders/OA-7Q4K2M")),
        "the Chinese reader gets the Chinese template as saved: {li_mail:?}"
    );
    let bo_mail = mail_to(pool, bo).await;
    assert!(bo_mail.iter().any(|(subject, _)| subject.ends_with("Order OA-7Q4K2M confirmed")), "{bo_mail:?}");

    let listed = in_app::list(&services, bo, Locale::En, 10).await.expect("list");
    assert_eq!(listed.items[0].text, format!("Paid: OA-7Q4K2M ({})", euros(Locale::En)));
    let listed = in_app::list(&services, li, Locale::Zh, 10).await.expect("list");
    assert_eq!(listed.items[0].text, format!("订单 OA-7Q4K2M 已确认：我们已收到 {}。", euros(Locale::Zh)));

    assert_eq!(notice_templates::restore(&services, admin, zh_mail, 2, 1).await.expect("restored"), 3);
    let detail = notice_templates::detail(&services, zh_mail, Locale::En, "Ada").await.expect("detail");
    let versions: Vec<(i32, Option<i32>, Option<&str>)> =
        detail.history.iter().map(|v| (v.version, v.restored_from, v.author.as_deref())).collect();
    assert_eq!(versions, [(3, Some(1), Some("Ada")), (2, None, Some("Ada")), (1, None, None)]);
    assert_eq!(detail.history[0].text, detail.history[2].text, "the first version, back in use");
    assert!(detail.variables.iter().any(|v| v.name == "amount" && v.sample == euros(Locale::Zh)));
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action like 'template.%'")
        .fetch_one(pool)
        .await
        .expect("audit");
    assert_eq!(audited, 3, "two saves and a restore");
}

#[tokio::test]
async fn only_those_who_manage_users_see_preview_or_change_templates() {
    let app = spawn_app().await;
    let (someone, _) = person(&app, "Bo", "bo@example.com").await;
    let key = [("kind", "order_paid"), ("channel", "email"), ("locale", "en")];
    let edit =
        [&key[..], &[("base", "1"), ("subject", "Hi {{order}}"), ("body", "Hello {{name}}"), ("intent", "save")]]
            .concat();
    let restore = [&key[..], &[("base", "1"), ("version", "1")]].concat();
    for (endpoint, form) in [
        ("admin/templates", &[][..]),
        ("admin/templates/detail", &key[..]),
        ("admin/templates/edit", &edit[..]),
        ("admin/templates/restore", &restore[..]),
    ] {
        assert_eq!(app.call_as(&someone, endpoint, form).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    let versions: i64 = sqlx::query_scalar("select count(*) from notice_templates where version > 1")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(versions, 0);

    domain::users::register::create_verified(&app.services, "Ada", "ada@example.com", PASSWORD, &[Role::Admin])
        .await
        .expect("admin");
    let admin = new_client();
    let login = [("email", "ada@example.com"), ("password", PASSWORD)];
    assert_eq!(app.call_as(&admin, "account/login", &login).await.status(), StatusCode::OK);
    let preview = [
        &key[..],
        &[("base", "1"), ("subject", "Paid: {{order}}"), ("body", "Hi {{name}}, {{amount}}"), ("intent", "preview")],
    ]
    .concat();
    let response = app.call_as(&admin, "admin/templates/edit", &preview).await;
    assert_eq!(response.status(), StatusCode::OK);
    let Outcome::Previewed(shown) = response.json::<Outcome>().await.expect("outcome") else { panic!("no preview") };
    assert_eq!(shown.subject, "Paid: OA-7Q4K2M");
    assert_eq!(shown.body, format!("Hi Ada, {}", Money::new(129_900, "EUR").format(Locale::En)));
    let unknown = [("kind", "order_paid"), ("channel", "carrier_pigeon"), ("locale", "en")];
    assert_eq!(app.call_as(&admin, "admin/templates/detail", &unknown).await.status(), StatusCode::NOT_FOUND);
    let test =
        [&key[..], &[("base", "1"), ("subject", "Paid: {{order}}"), ("body", "Hi {{name}}"), ("intent", "test")]]
            .concat();
    assert_eq!(app.call_as(&admin, "admin/templates/edit", &test).await.status(), StatusCode::OK);
    app.dispatch().await;
    let (subject, body) = app.last_mail_to("ada@example.com").await.expect("the test mail");
    assert!(subject.ends_with("[Test] Paid: OA-7Q4K2M") && body.ends_with("\nHi Ada"), "{subject} {body}");
}

#[tokio::test]
async fn an_account_mail_is_worded_by_its_template_goes_by_mail_only_and_keeps_its_link() {
    let app = spawn_app().await;
    let services = &app.services;
    let admin = domain::users::register::create_verified(services, "Ada", "ada@example.com", PASSWORD, &[Role::Admin])
        .await
        .expect("admin")
        .0;
    domain::users::register::create_verified(services, "Bo", "bo@example.com", PASSWORD, &[Role::Customer])
        .await
        .expect("customer");
    let reset = TemplateKey {
        kind: TemplateKind::Account(AccountMail::ResetPassword),
        channel: NotificationChannel::Email,
        locale: Locale::En,
    };
    let listed = notice_templates::list(services).await.expect("list");
    assert!(listed.iter().any(|t| t.key == reset && t.version == 1), "the code's words are version 1");
    assert!(
        !listed.iter().any(|t| t.key.kind == reset.kind && t.key.channel != NotificationChannel::Email),
        "a one-time link is never worded for the app, a text or a lock screen"
    );
    assert_eq!(
        refused_fields(notice_templates::save(services, admin, reset, 1, &text("Reset", "Hi {{name}}, ask us.")).await),
        [("body".to_owned(), ErrorCode::TemplateMissingVariable)],
        "a reset mail without its link"
    );
    assert_eq!(
        refused_fields(notice_templates::save(services, admin, reset, 1, &text("Reset", "{{link}} {{order}}")).await),
        [("body".to_owned(), ErrorCode::TemplateUnknownVariable)],
        "an account mail offers no notice's variables"
    );
    let words = text("A new password for {{name}}", "Hi {{name}}, choose it here within the hour:\n{{link}}");
    assert_eq!(notice_templates::save(services, admin, reset, 1, &words).await.expect("saved"), 2);

    app.call_as(&new_client(), "account/forgot-password", &[("email", "bo@example.com")]).await;
    app.dispatch().await;
    let (subject, body) = app.last_mail_to("bo@example.com").await.expect("the reset mail");
    assert!(subject.ends_with("A new password for Bo"), "{subject}");
    assert!(body.contains("\nHi Bo, choose it here within the hour:\n"), "{body}");
    let token = app.link_token("bo@example.com", "/reset-password").await;
    let new_password = "Osprey-climb-8812";
    let set = [("token", token.as_str()), ("password", new_password), ("password_confirm", new_password)];
    let answer = app.call_as(&new_client(), "account/reset-password", &set).await;
    assert_eq!(answer.status(), StatusCode::OK, "the link in the edited mail works");

    let admin_client = new_client();
    let login = [("email", "ada@example.com"), ("password", PASSWORD)];
    assert_eq!(app.call_as(&admin_client, "account/login", &login).await.status(), StatusCode::OK);
    let as_sms = [("kind", "reset_password"), ("channel", "sms"), ("locale", "en")];
    assert_eq!(app.call_as(&admin_client, "admin/templates/detail", &as_sms).await.status(), StatusCode::NOT_FOUND);
    let page = admin_client.get(app.url("/admin/templates")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Account mails") && page.contains("/admin/templates/reset_password/email/zh"), "listed");
}
