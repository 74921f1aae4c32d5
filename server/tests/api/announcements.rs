//! Announcements: one message to everyone of a role, told at its rate in each reader's
//! language, as each chose for announcements, once each, and stopped when cancelled;
//! only admins send or stop them.

use domain::{Error, Services, announcements, users::profile};
use reqwest::StatusCode;
use sqlx::PgPool;
use types::{
    Locale, Role, UserId,
    announcements::AnnouncementDraft,
    profile::{NotificationChannel, NotificationKind as Topic, Preferences},
};

use crate::{
    helpers::{PASSWORD, services, spawn_app},
    notification_centre::person,
    notifications::{dispatch, mail_to},
};

fn draft(per_minute: u32) -> AnnouncementDraft {
    AnnouncementDraft {
        audience: Role::Customer,
        title_en: "Spring firmware week".into(),
        body_en: "Every maker's firmware updates, in one place.".into(),
        title_zh: "春季固件周".into(),
        body_zh: "所有制造商的固件更新，一站汇集。".into(),
        per_minute,
    }
}

async fn told(pool: &PgPool) -> Vec<UserId> {
    let rows: Vec<uuid::Uuid> =
        sqlx::query_scalar("select user_id from notifications where kind = 'announcement' order by user_id")
            .fetch_all(pool)
            .await
            .expect("told");
    rows.into_iter().map(UserId).collect()
}

async fn due_now(pool: &PgPool) {
    sqlx::query("update announcements set next_batch_at = now()").execute(pool).await.expect("due");
}

async fn customer(services: &Services, n: usize) -> UserId {
    let email = format!("pilot{n}@example.com");
    domain::users::register::create_verified(services, "Pilot", &email, PASSWORD, &[Role::Customer])
        .await
        .expect("customer")
        .0
}

#[tokio::test]
async fn an_announcement_reaches_its_role_at_its_rate_in_each_language_as_each_chose_and_stops_when_cancelled() {
    let services = services().await;
    let pool = &services.pool;
    let (admin, _) =
        domain::users::register::create_verified(&services, "Ada", "ada@example.com", PASSWORD, &[Role::Admin])
            .await
            .expect("admin");
    let mut people = Vec::new();
    for n in 0..5 {
        people.push(customer(&services, n).await);
    }
    let chinese = people[0];
    profile::update_preferences(&services, chinese, Preferences::defaults(Locale::Zh)).await.expect("zh");
    let quiet = people[1];
    let mut choices = Preferences::defaults(Locale::En);
    choices.enabled.retain(|pair| *pair != (Topic::Announcements, NotificationChannel::Email));
    profile::update_preferences(&services, quiet, choices).await.expect("no announcement mail");

    let refused = announcements::send(&services, admin, &AnnouncementDraft { title_zh: " ".into(), ..draft(0) }).await;
    let Err(Error::Validation(fields)) = refused else { panic!("{refused:?}") };
    let fields: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["title_zh", "per_minute"]);

    // 24 a minute is two every five seconds.
    let first = announcements::send(&services, admin, &draft(24)).await.expect("sent");
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 2);
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 0, "the next batch waits its turn");
    due_now(pool).await;
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 2);
    announcements::cancel(&services, admin, first).await.expect("cancelled");
    due_now(pool).await;
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 0, "stopped");
    let listed = announcements::list(&services).await.expect("list");
    assert_eq!((listed[0].told, listed[0].total), (4, 5));
    assert_eq!(told(pool).await.len(), 4);
    assert!(matches!(announcements::cancel(&services, admin, first).await, Err(Error::Conflict(_))), "once");

    // A fast one reaches everyone at once and is done; nobody is told twice.
    sqlx::query("delete from notifications where kind = 'announcement'").execute(pool).await.expect("clear");
    announcements::send(&services, admin, &draft(10_000)).await.expect("sent");
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 5);
    due_now(pool).await;
    assert_eq!(announcements::tell_next_batch(&services).await.expect("batch"), 0);
    let mut everyone = people.clone();
    everyone.sort();
    assert_eq!(told(pool).await, everyone, "every customer, not the admin who is none");
    assert_eq!(
        announcements::list(&services).await.expect("list")[0].status,
        types::announcements::AnnouncementStatus::Done
    );

    dispatch(&services).await;
    assert!(mail_to(pool, quiet).await.iter().all(|(subject, _)| !subject.contains("firmware")), "mail off, app on");
    let in_app: serde_json::Value =
        sqlx::query_scalar("select params from notifications where user_id = $1 and kind = 'announcement'")
            .bind(quiet.0)
            .fetch_one(pool)
            .await
            .expect("the notice");
    assert_eq!(in_app["body_en"], "Every maker's firmware updates, in one place.", "the whole text, in the app");
    let zh = mail_to(pool, chinese).await;
    assert!(
        zh.iter().any(|(subject, body)| subject.ends_with("春季固件周") && body.contains("/unsubscribe?token=")),
        "{zh:?}"
    );
    let en = mail_to(pool, people[2]).await;
    assert!(en.iter().any(|(subject, _)| subject.ends_with("Spring firmware week")), "{en:?}");
}

#[tokio::test]
async fn only_admins_send_or_stop_announcements() {
    let app = spawn_app().await;
    let (someone, _) = person(&app, "Bo", "bo@example.com").await;
    let form = [
        ("audience", "customer"),
        ("title_en", "Hi"),
        ("body_en", "Hello"),
        ("title_zh", "你好"),
        ("body_zh", "你好"),
        ("per_minute", "600"),
    ];
    assert_eq!(app.call_as(&someone, "admin/announcements/send", &form).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call_as(&someone, "admin/announcements", &[]).await.status(), StatusCode::FORBIDDEN);
    let id = uuid::Uuid::new_v4().to_string();
    let r = app.call_as(&someone, "admin/announcements/cancel", &[("id", id.as_str())]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let none: i64 =
        sqlx::query_scalar("select count(*) from announcements").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!(none, 0);
}
