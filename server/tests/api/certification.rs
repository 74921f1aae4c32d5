//! Certification: a creator applies for a published product, a reviewer records test
//! results and grants a level (or refuses), the store shows the certificate, and
//! nobody else can touch any of it.

use chrono::{Months, Utc};
use reqwest::{Client, StatusCode};
use types::{
    ErrorCode, Role,
    catalog::CertificationLevel,
    certification::{CertificationApplicationStatus, ProductCertification},
    notifications::NotificationList,
    review::ItemDetail,
};

use crate::{
    catalog::{seed_options, within_two_seconds},
    creators::{staff, upload_pdf},
    helpers::{TestApp, app_error, new_client, spawn_app},
    products::{newest_item, product_form, product_id, upload_picture, verified_creator},
};

const KIND: &str = "certification_application";

/// A creator with one published product: the app, the reviewer, the creator and the
/// product's id.
async fn published_product(app: &TestApp, publish: bool) -> (Client, Client, String) {
    domain::catalog::seed::seed_catalog(&app.services.pool, &seed_options(10, 3)).await.expect("seed");
    let reviewer = staff(app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let mei = verified_creator(app, &reviewer, "Kestrel Works", "mei@example.com").await;
    let media = upload_picture(app, &mei).await.id.to_string();
    let form = product_form("", "Kestrel Mapper", "Maps fields from 120 m.", "1299.00", &media);
    assert_eq!(app.call_as(&mei, "creator/product/save", &form).await.status(), StatusCode::OK);
    let id = product_id(app, "kestrel-mapper").await;
    if publish {
        assert_eq!(app.call_as(&mei, "creator/product/submit", &[("id", &id)]).await.status(), StatusCode::OK);
        let item = newest_item(app, &reviewer, "product_submission").await;
        let r = app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "approved")]).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    (reviewer, mei, id)
}

async fn followed(app: &TestApp, client: &Client, product: &str) -> ProductCertification {
    let r = app.call_as(client, "creator/certification", &[("id", product)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

fn result<'a>(item: &'a str, test: &'a str, value: &'a str, tested_on: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", item),
        ("test_name", test),
        ("metric", "flight time"),
        ("value", value),
        ("unit", "min"),
        ("passed", "on"),
        ("tested_on", tested_on),
    ]
}

#[tokio::test]
async fn a_reviewer_records_results_and_grants_standard_which_the_store_shows() {
    let app = spawn_app().await;
    let (reviewer, mei, id) = published_product(&app, true).await;
    let report = upload_pdf(&app, &mei, "flight-report.pdf").await.id.to_string();

    // Every bad field is named; nothing is opened.
    let r = app.call_as(&mei, "creator/certification/apply", &[("id", &id), ("level", "gold")]).await;
    let error = app_error(r).await;
    assert_eq!(error.field("level"), Some(ErrorCode::Required));
    assert_eq!(error.field("documents"), Some(ErrorCode::Required));
    let apply =
        [("id", id.as_str()), ("level", "standard"), ("message", "Endurance data attached."), ("documents", &report)];
    assert_eq!(app.call_as(&mei, "creator/certification/apply", &apply).await.status(), StatusCode::OK);
    let again = app.call_as(&mei, "creator/certification/apply", &apply).await;
    assert_eq!(app_error(again).await.code, ErrorCode::AlreadyInReview, "one open application per product");
    let mine = followed(&app, &mei, &id).await;
    assert!(!mine.can_apply() && mine.current.is_none());
    assert_eq!(mine.applications[0].status, CertificationApplicationStatus::Open);

    // The reviewer sees the request and its document.
    let item = newest_item(&app, &reviewer, KIND).await;
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    let review = detail.certification.expect("a certification item");
    assert_eq!(review.application.requested_level, CertificationLevel::Standard);
    assert_eq!(review.application.documents[0].name, "flight-report.pdf");

    // No certificate without results.
    let today = Utc::now().date_naive();
    let (today_s, expires) = (today.to_string(), (today + Months::new(24)).to_string());
    let grant = [
        ("id", item.as_str()),
        ("decision", "approved"),
        ("level", "standard"),
        ("body", "OpenAero Test Lab"),
        ("granted_on", &today_s),
        ("expires_on", &expires),
    ];
    let r = app.call_as(&reviewer, "review/decide", &grant).await;
    assert_eq!(app_error(r).await.field("results"), Some(ErrorCode::ResultsRequired));

    // Results: bad ones named, a mistyped one taken back.
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let r = app.call_as(&reviewer, "review/certification/result", &result(&item, "Hover", "fast", &tomorrow)).await;
    let error = app_error(r).await;
    assert_eq!(error.field("value"), Some(ErrorCode::NotANumber));
    assert_eq!(error.field("tested_on"), Some(ErrorCode::DateInFuture));
    for (test, value) in [("Hover endurance", "275"), ("Hover endurance", "27.5"), ("Wind resistance", "12")] {
        let r = app.call_as(&reviewer, "review/certification/result", &result(&item, test, value, &today_s)).await;
        assert_eq!(r.status(), StatusCode::OK, "{test}");
    }
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    let mistyped = detail.certification.expect("certification").application.results[0].id.to_string();
    let remove = [("id", item.as_str()), ("result", mistyped.as_str())];
    assert_eq!(app.call_as(&reviewer, "review/certification/result/remove", &remove).await.status(), StatusCode::OK);
    assert_eq!(followed(&app, &mei, &id).await.applications[0].results.len(), 2, "the creator follows the results");

    // A grant that would already be expired, or ends before it starts, is refused.
    let mut inverted = grant.to_vec();
    inverted[5] = ("expires_on", &today_s);
    let r = app.call_as(&reviewer, "review/decide", &inverted).await;
    assert_eq!(app_error(r).await.field("expires_on"), Some(ErrorCode::RangeInverted));
    assert_eq!(app.call_as(&reviewer, "review/decide", &grant).await.status(), StatusCode::OK);

    // The store, the search facet and the creator all show it.
    within_two_seconds(&app, "/p/kestrel-mapper", "certificate", |html| {
        html.contains("Standard") && html.contains("OpenAero Test Lab") && html.contains("Wind resistance")
    })
    .await;
    within_two_seconds(&app, "/search?cert=standard", "certified search", |html| html.contains("/p/kestrel-mapper"))
        .await;
    let mine = followed(&app, &mei, &id).await;
    let current = mine.current.as_ref().expect("a certificate");
    assert!(current.valid && current.level == CertificationLevel::Standard);
    assert_eq!(current.tests.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(), vec!["27.5", "12"]);
    assert_eq!(mine.applications[0].status, CertificationApplicationStatus::Granted);
    assert!(mine.can_apply(), "a certified product may apply again, for a higher level");
    let events: Vec<String> = sqlx::query_scalar("select event_type from outbox_events where aggregate_id = $1")
        .bind(&id)
        .fetch_all(&app.services.pool)
        .await
        .expect("events");
    assert_eq!(events.last().map(String::as_str), Some("product.certified"));

    // Decided: no more results.
    let late = app.call_as(&reviewer, "review/certification/result", &result(&item, "Late", "1", &today_s)).await;
    assert_eq!(app_error(late).await.code, ErrorCode::AlreadyDecided);
}

#[tokio::test]
async fn a_refused_application_says_why_and_the_creator_may_apply_again() {
    let app = spawn_app().await;
    let (reviewer, mei, id) = published_product(&app, true).await;
    let report = upload_pdf(&app, &mei, "report.pdf").await.id.to_string();
    let apply = [("id", id.as_str()), ("level", "premium"), ("documents", &report)];
    assert_eq!(app.call_as(&mei, "creator/certification/apply", &apply).await.status(), StatusCode::OK);
    let item = newest_item(&app, &reviewer, KIND).await;
    let r = app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "rejected")]).await;
    assert_eq!(app_error(r).await.field("feedback"), Some(ErrorCode::FeedbackRequired));
    let why = "Premium needs a rain test report; we found none.";
    let r =
        app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "rejected"), ("feedback", why)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let mine = followed(&app, &mei, &id).await;
    assert_eq!(mine.applications[0].status, CertificationApplicationStatus::Refused);
    assert_eq!(mine.applications[0].feedback.as_deref(), Some(why));
    assert!(mine.current.is_none() && mine.can_apply());
    // Told in-app and by mail, each with a link to the product's certification page.
    let page = format!("/creator/products/{id}/certification");
    app.dispatch().await;
    let notices: NotificationList = app.call_as(&mei, "account/notifications", &[]).await.json().await.expect("json");
    assert_eq!(notices.items[0].link, page);
    let (subject, body) = app.last_mail_to("mei@example.com").await.expect("a mail");
    assert!(subject.contains("certification application") && body.contains(why) && body.contains(&page), "{body}");
    let certificates: i64 = sqlx::query_scalar("select count(*) from certifications where product_id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(certificates, 0);
    assert_eq!(app.call_as(&mei, "creator/certification/apply", &apply).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_a_published_product_of_ones_own_may_apply_and_only_reviewers_test() {
    let app = spawn_app().await;
    let (reviewer, mei, draft) = published_product(&app, false).await;
    let report = upload_pdf(&app, &mei, "report.pdf").await.id.to_string();
    let apply = [("id", draft.as_str()), ("level", "basic"), ("documents", &report)];
    let r = app.call_as(&mei, "creator/certification/apply", &apply).await;
    assert_eq!(app_error(r).await.code, ErrorCode::NotPublished);

    // Another creator reaches neither the product nor Mei's document.
    let tom = verified_creator(&app, &reviewer, "Tern Labs", "tom@example.com").await;
    for (endpoint, form) in [("creator/certification", &apply[..1]), ("creator/certification/apply", &apply[..])] {
        assert_eq!(app.call_as(&tom, endpoint, form).await.status(), StatusCode::NOT_FOUND, "Tom calling {endpoint}");
    }

    // A second reviewer cannot record on an item the first one claimed; customers and
    // strangers reach nothing.
    let item = {
        let media = upload_picture(&app, &mei).await.id.to_string();
        let form = product_form(&draft, "Kestrel Mapper", "Maps.", "1299.00", &media);
        assert_eq!(app.call_as(&mei, "creator/product/save", &form).await.status(), StatusCode::OK);
        assert_eq!(app.call_as(&mei, "creator/product/submit", &[("id", &draft)]).await.status(), StatusCode::OK);
        let product_item = newest_item(&app, &reviewer, "product_submission").await;
        let r = app.call_as(&reviewer, "review/decide", &[("id", &product_item), ("decision", "approved")]).await;
        assert_eq!(r.status(), StatusCode::OK);
        // A decided item takes no results.
        let today = Utc::now().date_naive().to_string();
        let r =
            app.call_as(&reviewer, "review/certification/result", &result(&product_item, "Hover", "1", &today)).await;
        assert_eq!(app_error(r).await.code, ErrorCode::AlreadyDecided);
        assert_eq!(app.call_as(&mei, "creator/certification/apply", &apply).await.status(), StatusCode::OK);
        newest_item(&app, &reviewer, KIND).await
    };
    assert_eq!(app.call_as(&reviewer, "review/claim", &[("id", &item)]).await.status(), StatusCode::OK);
    let other = staff(&app, "sam@example.com", &[Role::Customer, Role::Reviewer]).await;
    let today = Utc::now().date_naive().to_string();
    let r = app.call_as(&other, "review/certification/result", &result(&item, "Hover", "1", &today)).await;
    assert_eq!(app_error(r).await.code, ErrorCode::ClaimedByOther);

    app.verified_user("Casey", "casey@example.com").await;
    let anonymous = new_client();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("creator/certification", vec![("id", &draft)]),
        ("creator/certification/apply", apply.to_vec()),
        ("review/certification/result", result(&item, "Hover", "1", &today)),
        ("review/certification/result/remove", vec![("id", &item), ("result", "1")]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app.call(endpoint, form).await.status(), StatusCode::FORBIDDEN, "customer calling {endpoint}");
        let r = app.call_as(&anonymous, endpoint, form).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "stranger calling {endpoint}");
    }
    let r = app.call_as(&mei, "review/certification/result", &result(&item, "Hover", "1", &today)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a creator cannot test their own product");
    let recorded: i64 = sqlx::query_scalar("select count(*) from certification_results")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(recorded, 0);
}
