//! Portfolio items: drafted, reviewed, shown on the public creator page once
//! approved, edits waiting for review while the approved version stays, and nobody
//! else touching them.

use reqwest::{Client, StatusCode};
use types::{
    ErrorCode, Role,
    portfolio::{PortfolioEntry, PortfolioStatus},
    review::ItemDetail,
};

use crate::{
    catalog::within_two_seconds,
    creators::{staff, upload_pdf},
    helpers::{TestApp, app_error, new_client, spawn_app},
    products::{newest_item, upload_picture, verified_creator},
};

const KIND: &str = "portfolio_item";

async fn entries(app: &TestApp, client: &Client) -> Vec<PortfolioEntry> {
    let r = app.call_as(client, "creator/portfolio", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

async fn creator_slug(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("select slug from creators where display_name = $1")
        .bind(name)
        .fetch_one(&app.services.pool)
        .await
        .expect("slug")
}

#[tokio::test]
async fn an_approved_item_shows_on_the_public_page_and_edits_wait_for_review() {
    let app = spawn_app().await;
    let reviewer = staff(&app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let mei = verified_creator(&app, &reviewer, "Kestrel Works", "mei@example.com").await;
    let slug = creator_slug(&app, "Kestrel Works").await;
    let picture = upload_picture(&app, &mei).await.id.to_string();
    let report = upload_pdf(&app, &mei, "survey.pdf").await.id.to_string();

    // Every bad field is named; nothing is created.
    let r =
        app.call_as(&mei, "creator/portfolio/save", &[("title", " "), ("category", "no-such"), ("media", "x")]).await;
    let error = app_error(r).await;
    for (field, code) in
        [("title", ErrorCode::Required), ("category", ErrorCode::NotFound), ("media", ErrorCode::NotFound)]
    {
        assert_eq!(error.field(field), Some(code), "{field}");
    }
    assert!(entries(&app, &mei).await.is_empty());

    // A draft with only a document cannot be submitted: it needs a picture.
    let form = [("title", "Vineyard survey, Douro valley"), ("description", "Flown at 80 m."), ("media", &report)];
    assert_eq!(app.call_as(&mei, "creator/portfolio/save", &form).await.status(), StatusCode::OK);
    let id = entries(&app, &mei).await[0].id.to_string();
    let r = app.call_as(&mei, "creator/portfolio/submit", &[("id", &id)]).await;
    assert_eq!(app_error(r).await.field("media"), Some(ErrorCode::ImageRequired));
    let media = format!("{picture},{report}");
    let form = [
        ("id", id.as_str()),
        ("title", "Vineyard survey, Douro valley"),
        ("description", "Flown at 80 m."),
        ("media", &media),
    ];
    assert_eq!(app.call_as(&mei, "creator/portfolio/save", &form).await.status(), StatusCode::OK);
    assert_eq!(app.call_as(&mei, "creator/portfolio/submit", &[("id", &id)]).await.status(), StatusCode::OK);
    let busy = app.call_as(&mei, "creator/portfolio/save", &form).await;
    assert_eq!(app_error(busy).await.code, ErrorCode::AlreadyInReview, "no edits while a reviewer has it");
    assert!(
        !app.get_html(&format!("/creators/{slug}")).await.contains("Vineyard survey"),
        "not public before approval"
    );

    // Changes requested, fixed, approved: public.
    let item = newest_item(&app, &reviewer, KIND).await;
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    assert_eq!(detail.media.len(), 2, "the reviewer sees the picture and the document");
    let ask = [("id", item.as_str()), ("decision", "changes_requested"), ("feedback", "Name the drone you flew.")];
    assert_eq!(app.call_as(&reviewer, "review/decide", &ask).await.status(), StatusCode::OK);
    let entry = &entries(&app, &mei).await[0];
    assert_eq!(
        (entry.status, entry.feedback.as_deref()),
        (PortfolioStatus::Rejected, Some("Name the drone you flew."))
    );
    app.dispatch().await;
    let (_, body) = app.last_mail_to("mei@example.com").await.expect("a mail");
    assert!(body.contains(&format!("/creator/portfolio/{id}")), "the mail links to the item: {body}");
    let fixed = [
        ("id", id.as_str()),
        ("title", "Vineyard survey, Douro valley"),
        ("description", "Flown at 80 m with a Kestrel Mapper."),
        ("media", &media),
    ];
    assert_eq!(app.call_as(&mei, "creator/portfolio/save", &fixed).await.status(), StatusCode::OK);
    assert_eq!(app.call_as(&mei, "creator/portfolio/submit", &[("id", &id)]).await.status(), StatusCode::OK);
    let item = newest_item(&app, &reviewer, KIND).await;
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    let changed: Vec<&str> = detail.changes.iter().filter(|c| c.changed()).map(|c| c.field.as_str()).collect();
    assert_eq!(changed, vec!["description"]);
    assert_eq!(
        app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "approved")]).await.status(),
        StatusCode::OK
    );
    let page = format!("/creators/{slug}");
    within_two_seconds(&app, &page, "approved item", |html| html.contains("with a Kestrel Mapper")).await;
    let html = app.get_html(&page).await;
    assert!(html.contains(&format!("/files/{picture}")), "the picture is shown");
    assert!(!html.contains("survey.pdf"), "a private document stays private on the public page");

    // An edit to the approved item waits; the page keeps the approved version.
    let edit = [
        ("id", id.as_str()),
        ("title", "Vineyard survey, Douro valley"),
        ("description", "Now with NDVI maps."),
        ("media", &media),
    ];
    assert_eq!(app.call_as(&mei, "creator/portfolio/save", &edit).await.status(), StatusCode::OK);
    let entry = &entries(&app, &mei).await[0];
    assert!(entry.public && entry.status == PortfolioStatus::Draft);
    let html = app.get_html(&page).await;
    assert!(html.contains("with a Kestrel Mapper") && !html.contains("NDVI"));

    // Archived: off the page.
    assert_eq!(app.call_as(&mei, "creator/portfolio/archive", &[("id", &id)]).await.status(), StatusCode::OK);
    within_two_seconds(&app, &page, "archived item gone", |html| !html.contains("Vineyard survey")).await;
    assert!(entries(&app, &mei).await.is_empty());
}

#[tokio::test]
async fn portfolio_items_are_their_creators_alone() {
    let app = spawn_app().await;
    let reviewer = staff(&app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let mei = verified_creator(&app, &reviewer, "Kestrel Works", "mei@example.com").await;
    let tom = verified_creator(&app, &reviewer, "Tern Labs", "tom@example.com").await;
    let picture = upload_picture(&app, &mei).await.id.to_string();
    let form = [("title", "Prototype VTOL"), ("media", picture.as_str())];
    assert_eq!(app.call_as(&mei, "creator/portfolio/save", &form).await.status(), StatusCode::OK);
    let id = entries(&app, &mei).await[0].id.to_string();

    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("creator/portfolio/item", vec![("id", &id)]),
        ("creator/portfolio/save", vec![("id", &id), ("title", "Stolen")]),
        ("creator/portfolio/submit", vec![("id", &id)]),
        ("creator/portfolio/archive", vec![("id", &id)]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app.call_as(&tom, endpoint, form).await.status(), StatusCode::NOT_FOUND, "Tom calling {endpoint}");
    }
    let r = app.call_as(&tom, "creator/portfolio/save", &[("title", "Borrowed"), ("media", &picture)]).await;
    assert_eq!(app_error(r).await.field("media"), Some(ErrorCode::NotFound), "Mei's picture is not Tom's");
    assert!(entries(&app, &tom).await.is_empty());

    app.verified_user("Casey", "casey@example.com").await;
    let anonymous = new_client();
    let mut portal = calls.clone();
    portal.push(("creator/portfolio", vec![]));
    for (endpoint, form) in &portal {
        assert_eq!(app.call(endpoint, form).await.status(), StatusCode::FORBIDDEN, "customer calling {endpoint}");
        let r = app.call_as(&anonymous, endpoint, form).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "stranger calling {endpoint}");
    }
    let r = app.call_as(&reviewer, "creator/portfolio/save", &[("id", &id), ("title", "Edited by review")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a reviewer cannot edit a creator's item");
    let title: String = sqlx::query_scalar("select title from portfolio_items where id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.services.pool)
        .await
        .expect("title");
    assert_eq!(title, "Prototype VTOL");
}
