//! What the analytics tell the team unasked. Alerts: a rule set on the console crosses
//! once, tells everyone who reads the analytics in-app and by mail, stays quiet while it
//! stays crossed, and tells once more when it recovers; nobody else sets, reads or
//! removes one. The weekly summary: mailed once a week to the readers who asked for it.

use chrono::{DateTime, TimeDelta, Utc};
use domain::analytics::{Event, alerts::check_all, partitions, summary};
use reqwest::StatusCode;
use types::{
    ErrorCode, Locale, Role,
    analytics::{EventKind, alerts::AlertRule},
    notifications::NotificationKind,
    profile::{NotificationKind as Topic, Preferences},
};
use uuid::Uuid;

use crate::{helpers::spawn_app, order_pages::member};

async fn refunds(services: &domain::Services, at: DateTime<Utc>, n: usize) {
    partitions::ensure_days(&services.pool, &[at.date_naive()]).await.expect("partitions");
    let events: Vec<Event> = (0..n).map(|_| Event::new(EventKind::OrderRefunded, at)).collect();
    let mut tx = services.pool.begin().await.expect("tx");
    services.analytics.write(&mut tx, &events).await.expect("write");
    tx.commit().await.expect("commit");
}

async fn notices(services: &domain::Services, user: types::UserId) -> Vec<NotificationKind> {
    let list = domain::notifications::in_app::list(services, user, types::Locale::En, 20).await.expect("notifications");
    list.items.into_iter().map(|n| n.kind).collect()
}

#[tokio::test]
async fn an_alert_tells_the_team_once_when_it_crosses_and_once_when_it_recovers() {
    let app = spawn_app().await;
    let services = &app.services;
    let (ada_id, ada) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    let (bea_id, _) = member(&app, "Bea", &[Role::Customer, Role::Admin]).await;
    let (casey_id, casey) = member(&app, "Casey", &[Role::Customer]).await;
    let rule = [
        ("name", "Refund wave"),
        ("metric", "refunds"),
        ("comparison", "above"),
        ("threshold", "2"),
        ("window_minutes", "60"),
        ("from_hour", ""),
        ("to_hour", ""),
    ];
    assert_eq!(app.call_as(&casey, "admin/analytics/alerts/add", &rule).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call_as(&casey, "admin/analytics/alerts", &[]).await.status(), StatusCode::FORBIDDEN);

    // Mistakes are said at their fields, and nothing is kept.
    let mut wrong = rule;
    wrong[3] = ("threshold", "lots");
    wrong[4] = ("window_minutes", "1");
    let refused = app.call_as(&ada, "admin/analytics/alerts/add", &wrong).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: app::error::AppError = refused.json().await.expect("error");
    assert_eq!(error.field("threshold"), Some(ErrorCode::NotANumber));
    assert_eq!(error.field("window_minutes"), Some(ErrorCode::OutOfRange));
    assert_eq!(app.call_as(&ada, "admin/analytics/alerts/add", &rule).await.status(), StatusCode::OK);

    let now = Utc::now();
    refunds(services, now - TimeDelta::minutes(10), 3).await;
    assert_eq!(check_all(services, now).await.expect("check"), 1, "three refunds in the hour cross 2");
    assert_eq!(check_all(services, now + TimeDelta::minutes(1)).await.expect("check"), 0, "told once");
    app.dispatch().await;
    for reader in [ada_id, bea_id] {
        assert_eq!(notices(services, reader).await, [NotificationKind::AlertCrossed], "every admin is told");
    }
    assert!(notices(services, casey_id).await.is_empty(), "a customer is not");
    app.dispatch().await;
    let (subject, body) = app.last_mail_to("bea@example.test").await.expect("a mail");
    // (A test deployment marks its subjects "[TEST]".)
    assert!(subject.ends_with("Alert “Refund wave” crossed its threshold"), "{subject}");
    assert!(body.contains("Refunds in the last 60 minutes: 3.") && body.contains("/admin/analytics/alerts"), "{body}");

    // Bea switches alerts off in the app and by mail; Ada keeps them.
    let mut quiet = Preferences::defaults(Locale::En);
    quiet.enabled.retain(|(topic, _)| *topic != Topic::Alerts);
    domain::users::profile::update_preferences(services, bea_id, quiet).await.expect("alerts off");
    let bea_mail = app.last_mail_to("bea@example.test").await;

    // An hour on, the refunds are out of the window: recovered, said once.
    let later = now + TimeDelta::minutes(61);
    assert_eq!(check_all(services, later).await.expect("check"), 1);
    assert_eq!(check_all(services, later + TimeDelta::minutes(1)).await.expect("check"), 0);
    app.dispatch().await;
    assert_eq!(notices(services, ada_id).await, [NotificationKind::AlertRecovered, NotificationKind::AlertCrossed]);
    assert_eq!(notices(services, bea_id).await, [NotificationKind::AlertCrossed], "Bea chose not to hear");
    assert_eq!(app.last_mail_to("bea@example.test").await, bea_mail, "nor by mail");
    let (subject, _) = app.last_mail_to("ada@example.test").await.expect("a mail");
    assert!(subject.ends_with("Alert “Refund wave” recovered"), "{subject}");

    let answer = app.call_as(&ada, "admin/analytics/alerts", &[]).await;
    let rules: Vec<AlertRule> = answer.json().await.expect("rules");
    assert_eq!((rules.len(), rules[0].firing, rules[0].last_value), (1, false, Some(0)));
    let page = ada.get(app.url("/admin/analytics/alerts")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Refund wave") && page.contains("Refunds over 60 min above 2"), "the rule is listed");
    let id = [("id", rules[0].id.as_str())];
    assert_eq!(app.call_as(&casey, "admin/analytics/alerts/remove", &id).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call_as(&ada, "admin/analytics/alerts/remove", &id).await.status(), StatusCode::OK);
    assert_eq!(app.call_as(&ada, "admin/analytics/alerts/remove", &id).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fruitless_searches_are_judged_as_a_share_only_from_ten_searches() {
    let app = spawn_app().await;
    let services = &app.services;
    let (_, ada) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    let rule = [
        ("name", "Search is broken"),
        ("metric", "zero_result_share"),
        ("comparison", "above"),
        ("threshold", "50"),
        ("window_minutes", "30"),
        ("from_hour", "0"),
        ("to_hour", "24"),
    ];
    assert_eq!(app.call_as(&ada, "admin/analytics/alerts/add", &rule).await.status(), StatusCode::OK);
    let search = |found: i32| {
        sqlx::query(
            "insert into search_log (id, page_id, query, result_count, locale, created_at)
             values ($1, $1, 'gimbal', $2, 'en', now() - interval '5 minutes')",
        )
        .bind(Uuid::new_v4())
        .bind(found)
    };
    for _ in 0..6 {
        search(0).execute(&services.pool).await.expect("search");
    }
    assert_eq!(check_all(services, Utc::now()).await.expect("check"), 0, "six searches are too few to judge");
    for _ in 0..4 {
        search(3).execute(&services.pool).await.expect("search");
    }
    assert_eq!(check_all(services, Utc::now()).await.expect("check"), 1, "six of ten found nothing: 60 % > 50 %");
    let rules: Vec<AlertRule> = app.call_as(&ada, "admin/analytics/alerts", &[]).await.json().await.expect("rules");
    assert_eq!((rules[0].firing, rules[0].last_value), (true, Some(60)));
}

#[tokio::test]
async fn the_weekly_summary_goes_once_to_the_readers_who_asked_for_it() {
    let app = spawn_app().await;
    let (_, ada) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    member(&app, "Bea", &[Role::Customer, Role::Admin]).await;
    let (_, casey) = member(&app, "Casey", &[Role::Customer]).await;
    let page = |client: &reqwest::Client| {
        let url = app.url("/account/preferences");
        let client = client.clone();
        async move { client.get(url).send().await.expect("page").text().await.expect("html") }
    };
    assert!(page(&ada).await.contains("Weekly analytics summary"), "offered to who reads the analytics");
    assert!(!page(&casey).await.contains("Weekly analytics summary"), "and to nobody else");
    let asks = [("locale", "en"), ("enabled[0]", "analytics_summary:email")];
    for client in [&ada, &casey] {
        let answer = app.call_as(client, "account/preferences/update", &asks).await;
        assert!(answer.status().is_success() || answer.status().is_redirection(), "{}", answer.status());
    }

    let today = Utc::now().date_naive();
    assert!(summary::claim_due(&app.services.pool, today).await.expect("claim"), "the week is claimed");
    assert!(!summary::claim_due(&app.services.pool, today).await.expect("claim"), "once");
    app.dispatch().await;
    let week = summary::last_week(today);
    let summaries: Vec<(String, String, String)> = sqlx::query_as(
        "select to_address, subject, body_text from outgoing_mail where subject like '%Your store''s week%'",
    )
    .fetch_all(&app.services.pool)
    .await
    .expect("mail");
    assert_eq!(summaries.len(), 1, "to Ada only: Bea did not ask, Casey may not read the analytics");
    let (to, subject, body) = &summaries[0];
    assert_eq!(to, "ada@example.test");
    assert!(subject.ends_with(&format!("Your store's week: {} to {}", week.from, week.to)), "{subject}");
    assert!(body.contains("Paid orders: ") && body.contains(&format!("from={}", week.from)), "{body}");
}
