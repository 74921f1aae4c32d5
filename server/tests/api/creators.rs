//! Applying to sell, the review queue and its decisions, the tax id at rest.

use reqwest::{
    Client, StatusCode,
    multipart::{Form, Part},
};
use types::{
    ErrorCode, Role,
    creators::Application,
    files::FileInfo,
    review::{ItemDetail, QueueItem},
};

use crate::helpers::{PASSWORD, TestApp, app_error, new_client, spawn_app};

const TAX_ID: &str = "DE 123 456 789";

pub(crate) async fn upload_pdf(app: &TestApp, client: &Client, name: &str) -> FileInfo {
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let form = Form::new().part("file", Part::bytes(pdf).file_name(name.to_owned()));
    let response = client.post(app.url("/api/files")).multipart(form).send().await.expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut files: Vec<FileInfo> = response.json().await.expect("json");
    files.remove(0)
}

pub(crate) fn application<'a>(business_name: &'a str, documents: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("business_name", business_name),
        ("kind", "company"),
        ("tax_id", TAX_ID),
        ("line1", "Hafenstraße 1"),
        ("city", "Hamburg"),
        ("postal_code", "20457"),
        ("country", "DE"),
        ("contact_email", "sales@kestrel.example"),
        ("contact_phone", "+49 40 1234567"),
        ("documents", documents),
    ]
}

pub(crate) async fn staff(app: &TestApp, email: &str, roles: &[Role]) -> Client {
    domain::users::register::create_verified(&app.services, "Riley Reviewer", email, PASSWORD, roles)
        .await
        .expect("create");
    let client = new_client();
    let r = app.call_as(&client, "account/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    client
}

async fn queue(app: &TestApp, client: &Client) -> Vec<QueueItem> {
    app.call_as(client, "review/queue", &[]).await.json().await.expect("queue")
}

async fn event_types(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("select event_type from outbox_events order by seq")
        .fetch_all(&app.services.pool)
        .await
        .expect("events")
}

#[tokio::test]
async fn an_applicant_is_rejected_fixes_the_application_and_is_verified_as_a_creator() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let document = upload_pdf(&app, &app.client, "registration.pdf").await;
    let doc = document.id.to_string();

    // Field by field, nothing written.
    let bad = app
        .call("creator/apply", &[("business_name", ""), ("kind", "company"), ("tax_id", "1"), ("country", "XX")])
        .await;
    let status = bad.status();
    let error = app_error(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    assert_eq!(error.field("business_name"), Some(ErrorCode::Required));
    assert_eq!(error.field("tax_id"), Some(ErrorCode::TaxIdInvalid));
    assert_eq!(error.field("documents"), Some(ErrorCode::Required));
    let creators: i64 =
        sqlx::query_scalar("select count(*) from creators").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!(creators, 0);

    let submitted = app.call("creator/apply", &application("Kestrel Works", &doc)).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    // Shown masked; stored sealed: the plain id is nowhere in the row.
    let mine: Option<Application> = app.call("creator/application", &[]).await.json().await.expect("json");
    let mine = mine.expect("an application");
    assert_eq!(mine.tax_id_masked, "•••• 6789");
    assert_eq!(mine.documents.len(), 1);
    let row: (Vec<u8>, String, String) =
        sqlx::query_as("select tax_id_ciphertext, tax_id_key_id, status from creators")
            .fetch_one(&app.services.pool)
            .await
            .expect("row");
    assert!(!row.0.windows(9).any(|w| w == b"123456789"));
    assert_eq!((row.1.as_str(), row.2.as_str()), ("dev-1", "pending"));
    // Waiting for review: it cannot be changed underneath the reviewer.
    let again = app.call("creator/apply", &application("Kestrel Works GmbH", &doc)).await;
    assert_eq!(app_error(again).await.code, ErrorCode::AlreadyInReview);

    let reviewer = staff(&app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let items = queue(&app, &reviewer).await;
    assert_eq!(items.len(), 1);
    let id = items[0].id.to_string();
    let detail = app.call_as(&reviewer, "review/item", &[("id", &id)]).await.text().await.expect("body");
    assert!(detail.contains("•••• 6789") && !detail.contains("123456789"), "{detail}");
    // Reviewers read the private document; other customers do not.
    assert_eq!(reviewer.get(app.url(&document.url())).send().await.expect("get").status(), StatusCode::OK);
    let stranger = new_client();
    app.register("Tom", "tom@example.com").await;
    app.call_as(&stranger, "account/login", &[("email", "tom@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(stranger.get(app.url(&document.url())).send().await.expect("get").status(), StatusCode::NOT_FOUND);

    // Claimed by Riley: a second reviewer can neither claim nor decide it.
    assert_eq!(app.call_as(&reviewer, "review/claim", &[("id", &id)]).await.status(), StatusCode::OK);
    let second = staff(&app, "sam@example.com", &[Role::Customer, Role::Reviewer]).await;
    let r = app.call_as(&second, "review/decide", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(app_error(r).await.code, ErrorCode::ClaimedByOther);
    let r = app.call_as(&reviewer, "review/decide", &[("id", &id), ("decision", "rejected"), ("feedback", " ")]).await;
    assert_eq!(app_error(r).await.field("feedback"), Some(ErrorCode::FeedbackRequired));
    let feedback = "The registration document is unreadable; upload a clearer scan.";
    let r =
        app.call_as(&reviewer, "review/decide", &[("id", &id), ("decision", "rejected"), ("feedback", feedback)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.call_as(&reviewer, "review/decide", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(app_error(r).await.code, ErrorCode::AlreadyDecided);

    // Mei is told in the app and by mail, and sees the reason on her application.
    app.dispatch().await;
    let notices = app.call("account/notifications", &[]).await.text().await.expect("body");
    assert!(notices.contains("submission_rejected") && notices.contains("unreadable"), "{notices}");
    let (subject, body) = app.last_mail_to("mei@example.com").await.expect("mail");
    assert!(subject.contains("Kestrel Works") && body.contains("unreadable"), "{subject}\n{body}");
    let mine: Option<Application> = app.call("creator/application", &[]).await.json().await.expect("json");
    assert_eq!(mine.expect("application").rejection_reason.as_deref(), Some(feedback));

    // Fixed and resubmitted: the reviewer sees what changed since the last submission.
    let clearer = upload_pdf(&app, &app.client, "registration-scan.pdf").await;
    let resubmitted = app.call("creator/apply", &application("Kestrel Works GmbH", &clearer.id.to_string())).await;
    assert_eq!(resubmitted.status(), StatusCode::OK);
    let items = queue(&app, &reviewer).await;
    let id = items[0].id.to_string();
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &id)]).await.json().await.expect("json");
    let changed: Vec<&str> = detail.changes.iter().filter(|c| c.changed()).map(|c| c.field.as_str()).collect();
    assert_eq!(changed, vec!["business_name", "documents"]);
    assert!(detail.has_previous && !detail.compared_with_approved);
    let history: Vec<Option<types::review::Decision>> = detail.history.iter().map(|h| h.decision).collect();
    assert_eq!(history, vec![None, Some(types::review::Decision::Reject), None]);

    // Approved without claiming first: Mei becomes a creator.
    let r = app.call_as(&reviewer, "review/decide", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(app.call("session/user", &[]).await.text().await.expect("body").contains("creator.portal"));
    let status: String =
        sqlx::query_scalar("select status from creators").fetch_one(&app.services.pool).await.expect("status");
    assert_eq!(status, "verified");
    assert!(queue(&app, &reviewer).await.is_empty());
    let events = event_types(&app).await;
    for expected in [
        "creator.registered",
        "creator.submission.created",
        "creator.submission.rejected",
        "creator.verified",
        "creator.submission.approved",
    ] {
        assert!(events.iter().any(|e| e == expected), "{expected} missing from {events:?}");
    }
    assert_eq!(events.iter().filter(|e| *e == "creator.registered").count(), 1);
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'creator.verify'")
        .fetch_one(&app.services.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn documents_must_be_the_applicants_own() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let tom = new_client();
    app.register("Tom", "tom@example.com").await;
    app.call_as(&tom, "account/login", &[("email", "tom@example.com"), ("password", PASSWORD)]).await;
    let toms = upload_pdf(&app, &tom, "tom.pdf").await;
    let r = app.call("creator/apply", &application("Kestrel Works", &toms.id.to_string())).await;
    assert_eq!(app_error(r).await.field("documents"), Some(ErrorCode::NotFound));
}

#[tokio::test]
async fn review_and_application_functions_refuse_the_wrong_people() {
    let app = spawn_app().await;
    app.verified_user("Casey", "casey@example.com").await;
    let anonymous = new_client();
    let id = "00000000-0000-0000-0000-000000000000";
    let staff_only: &[(&str, Vec<(&str, &str)>)] = &[
        ("review/queue", vec![]),
        ("review/item", vec![("id", id)]),
        ("review/claim", vec![("id", id)]),
        ("review/release", vec![("id", id)]),
        ("review/decide", vec![("id", id), ("decision", "approved")]),
    ];
    for (endpoint, form) in staff_only {
        assert_eq!(app.call(endpoint, form).await.status(), StatusCode::FORBIDDEN, "customer calling {endpoint}");
        assert_eq!(
            app.call_as(&anonymous, endpoint, form).await.status(),
            StatusCode::UNAUTHORIZED,
            "stranger calling {endpoint}"
        );
    }
    for endpoint in ["creator/application", "creator/apply", "account/notifications", "account/notifications/unread"] {
        let r = app.call_as(&anonymous, endpoint, &application("X", id)).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "stranger calling {endpoint}");
    }
}

/// The test configuration's data key.
pub(crate) const OLD_DATA_KEY: &str = "dev-1:b3BlbmFlcm8tZGV2ZWxvcG1lbnQtb25seS1rZXktMzI=";

/// A new data key, `k2`, as `OPENAERO_DATA_KEYS` names it.
pub(crate) fn new_data_key() -> String {
    use base64::Engine;
    format!("k2:{}", base64::engine::general_purpose::STANDARD.encode([42u8; 32]))
}

pub(crate) fn key_ring(spec: &str) -> domain::crypto::KeyRing {
    domain::crypto::KeyRing::parse(spec).expect("ring")
}

#[tokio::test]
async fn rotating_the_data_keys_reseals_every_tax_id_under_the_new_key() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let document = upload_pdf(&app, &app.client, "registration.pdf").await;
    let r = app.call("creator/apply", &application("Kestrel Works", &document.id.to_string())).await;
    assert_eq!(r.status(), StatusCode::OK);

    let mut services = app.services.clone();
    services.data_keys = key_ring(&format!("{},{OLD_DATA_KEY}", new_data_key()));
    assert_eq!(domain::creators::tax_id::rotate(&services).await.expect("rotate"), 1);
    assert_eq!(domain::creators::tax_id::rotate(&services).await.expect("again"), 0);

    let (id, ciphertext, key_id): (uuid::Uuid, Vec<u8>, String) =
        sqlx::query_as("select id, tax_id_ciphertext, tax_id_key_id from creators")
            .fetch_one(&app.services.pool)
            .await
            .expect("row");
    assert_eq!(key_id, "k2");
    // The old key may now go: the new one alone opens the id.
    let only_new = key_ring(&new_data_key());
    let sealed = domain::crypto::Sealed { key_id, bytes: ciphertext };
    let context = domain::creators::tax_id::context(types::ids::CreatorId(id));
    assert_eq!(only_new.open(&sealed, &context).expect("open"), "DE123456789");
}
