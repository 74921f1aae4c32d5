//! The creator's product editor and its review: drafts, submission, rejection,
//! publication, changes to a live product, and who may touch what.

use reqwest::{
    Client, StatusCode,
    multipart::{Form, Part},
};
use types::TextEnum;
use types::{ErrorCode, Role, files::FileInfo, products::EditorProduct, review::ItemDetail};

use crate::{
    catalog::{seed_options, within_two_seconds},
    creators::{application, staff, upload_pdf},
    helpers::{PASSWORD, TestApp, app_error, new_client, spawn_app},
};

/// Registers `email`, has it verified as a creator through the queue, and returns its
/// logged-in client.
pub(crate) async fn verified_creator(app: &TestApp, reviewer: &Client, name: &str, email: &str) -> Client {
    let client = new_client();
    app.register(name, email).await;
    app.call_as(&client, "account/login", &[("email", email), ("password", PASSWORD)]).await;
    let document = upload_pdf(app, &client, "registration.pdf").await;
    let doc = document.id.to_string();
    assert_eq!(app.call_as(&client, "creator/apply", &application(name, &doc)).await.status(), StatusCode::OK);
    let item: Vec<types::review::QueueItem> =
        app.call_as(reviewer, "review/queue", &[]).await.json().await.expect("queue");
    let id = item.iter().find(|i| i.title == name).expect("in the queue").id.to_string();
    let r = app.call_as(reviewer, "review/decide", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    client
}

pub(crate) async fn upload_picture(app: &TestApp, client: &Client) -> FileInfo {
    let form = Form::new()
        .text("access", "public")
        .part("file", Part::bytes(crate::files::png(640, 480)).file_name("kestrel.png".to_owned()));
    let mut files: Vec<FileInfo> =
        client.post(app.url("/api/files")).multipart(form).send().await.expect("upload").json().await.expect("json");
    files.remove(0)
}

pub(crate) fn product_form<'a>(
    id: &'a str,
    name: &'a str,
    description: &'a str,
    price: &'a str,
    media: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("draft[category]", "mapping-fixed-wings"),
        ("draft[name_en]", name),
        ("draft[summary_en]", "A folding mapping quadcopter."),
        ("draft[description_en]", description),
        ("draft[price]", price),
        ("draft[stock]", "12"),
        ("draft[measures][weight_g]", "1450"),
        ("draft[measures][flight_time_min]", "41"),
        ("draft[measures][range_m]", "8000"),
        ("draft[ip_rating]", "ip54"),
        ("draft[features]", "RTK\nObstacle sensing"),
        ("media", media),
    ]
}

pub(crate) async fn product_id(app: &TestApp, slug: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("select id from products where slug = $1")
        .bind(slug)
        .fetch_one(&app.services.pool)
        .await
        .expect("product");
    id.to_string()
}

/// The id of the newest open review item of `kind`.
pub(crate) async fn newest_item(app: &TestApp, reviewer: &Client, kind: &str) -> String {
    let items: Vec<types::review::QueueItem> =
        app.call_as(reviewer, "review/queue", &[("kind", kind)]).await.json().await.expect("queue");
    items.last().expect("an item").id.to_string()
}

#[tokio::test]
async fn a_product_goes_from_draft_through_review_to_the_store_and_changes_wait_for_review() {
    let app = spawn_app().await;
    domain::catalog::seed::seed_catalog(&app.services.pool, &seed_options(10, 3)).await.expect("seed");
    let reviewer = staff(&app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let mei = verified_creator(&app, &reviewer, "Kestrel Works", "mei@example.com").await;
    let picture = upload_picture(&app, &mei).await;
    let media = picture.id.to_string();

    // Every bad field is named; nothing is created.
    let mut bad = product_form("", "Kestrel Mapper", "Maps.", "twelve", &media);
    for (key, value) in
        [("draft[category]", "no-such-category"), ("draft[measures][weight_g]", "-5"), ("draft[ip_rating]", "IP99")]
    {
        bad.iter_mut().filter(|(k, _)| *k == key).for_each(|pair| pair.1 = value);
    }
    let r = app.call_as(&mei, "creator/product/save", &bad).await;
    let error = app_error(r).await;
    for (field, code) in [
        ("price", ErrorCode::NotAnAmount),
        ("category", ErrorCode::Required),
        ("weight_g", ErrorCode::OutOfRange),
        ("ip_rating", ErrorCode::InvalidInput),
    ] {
        assert_eq!(error.field(field), Some(code), "{field}: {error:?}");
    }

    let form = product_form("", "Kestrel Mapper", "Maps fields from 120 m.", "1299.00", &media);
    assert_eq!(app.call_as(&mei, "creator/product/save", &form).await.status(), StatusCode::OK);
    let id = product_id(&app, "kestrel-mapper").await;
    assert_eq!(app.get_page("/p/kestrel-mapper").await.status(), StatusCode::NOT_FOUND, "a draft is not in the store");
    assert_eq!(app.call_as(&mei, "creator/product/submit", &[("id", &id)]).await.status(), StatusCode::OK);
    let busy =
        app.call_as(&mei, "creator/product/save", &product_form(&id, "Kestrel Mapper 2", "x", "1.00", &media)).await;
    assert_eq!(app_error(busy).await.code, ErrorCode::AlreadyInReview);

    // Rejected with feedback: Mei sees it, fixes, resubmits.
    let item = newest_item(&app, &reviewer, "product_submission").await;
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    assert_eq!(detail.media.len(), 1);
    let feedback = "Say what the RTK module is compatible with.";
    let r = app
        .call_as(
            &reviewer,
            "review/decide",
            &[("id", &item), ("decision", "changes_requested"), ("feedback", feedback)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let editor: EditorProduct = app.call_as(&mei, "creator/product", &[("id", &id)]).await.json().await.expect("json");
    assert_eq!((editor.status.as_str(), editor.feedback.as_deref()), ("rejected", Some(feedback)));
    let mut fixed = product_form(&id, "Kestrel Mapper", "Maps fields from 120 m.", "1299.00", &media);
    fixed.push(("draft[compatibility]", "Emlid Reach RS3"));
    assert_eq!(app.call_as(&mei, "creator/product/save", &fixed).await.status(), StatusCode::OK);
    assert_eq!(app.call_as(&mei, "creator/product/submit", &[("id", &id)]).await.status(), StatusCode::OK);
    let item = newest_item(&app, &reviewer, "product_submission").await;
    assert_eq!(
        app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "approved")]).await.status(),
        StatusCode::OK
    );

    // Published: on its page and found by search.
    within_two_seconds(&app, "/p/kestrel-mapper", "published product", |html| html.contains("Maps fields from 120 m."))
        .await;
    within_two_seconds(&app, "/search?q=kestrel+mapper", "search", |html| html.contains("/p/kestrel-mapper")).await;

    // A change to the live product: the price at once, the description after review.
    let mut change = product_form(&id, "Kestrel Mapper", "Maps fields from 150 m, now with RTK.", "1199.00", &media);
    change.push(("draft[compatibility]", "Emlid Reach RS3"));
    assert_eq!(app.call_as(&mei, "creator/product/save", &change).await.status(), StatusCode::OK);
    within_two_seconds(&app, "/p/kestrel-mapper", "new price", |html| html.contains("1,199.00")).await;
    let page = app.get_html("/p/kestrel-mapper").await;
    assert!(
        page.contains("Maps fields from 120 m.") && !page.contains("150 m"),
        "the live description waits for review"
    );
    assert_eq!(app.call_as(&mei, "creator/product/submit", &[("id", &id)]).await.status(), StatusCode::OK);
    let item = newest_item(&app, &reviewer, "product_submission").await;
    let detail: ItemDetail = app.call_as(&reviewer, "review/item", &[("id", &item)]).await.json().await.expect("json");
    let changed: Vec<&str> = detail.changes.iter().filter(|c| c.changed()).map(|c| c.field.as_str()).collect();
    assert_eq!(changed, vec!["description_en"]);
    assert!(detail.compared_with_approved);
    assert_eq!(
        app.call_as(&reviewer, "review/decide", &[("id", &item), ("decision", "approved")]).await.status(),
        StatusCode::OK
    );
    within_two_seconds(&app, "/p/kestrel-mapper", "approved change", |html| html.contains("150 m, now with RTK")).await;

    let events: Vec<String> =
        sqlx::query_scalar("select event_type from outbox_events where aggregate_id = $1 order by seq")
            .bind(&id)
            .fetch_all(&app.services.pool)
            .await
            .expect("events");
    assert_eq!(events, vec!["product.created", "product.published", "product.updated", "product.updated"]);
}

#[tokio::test]
async fn creators_touch_only_their_own_products_and_customers_none() {
    let app = spawn_app().await;
    domain::catalog::seed::seed_catalog(&app.services.pool, &seed_options(10, 3)).await.expect("seed");
    let reviewer = staff(&app, "riley@example.com", &[Role::Customer, Role::Reviewer]).await;
    let mei = verified_creator(&app, &reviewer, "Kestrel Works", "mei@example.com").await;
    let tom = verified_creator(&app, &reviewer, "Tern Labs", "tom@example.com").await;
    let picture = upload_picture(&app, &mei).await;
    let picture_id = picture.id.to_string();
    let form = product_form("", "Kestrel Mapper", "Maps.", "1299.00", &picture_id);
    assert_eq!(app.call_as(&mei, "creator/product/save", &form).await.status(), StatusCode::OK);
    let id = product_id(&app, "kestrel-mapper").await;

    // Tom can neither read, change, submit nor archive Mei's product, nor use her picture.
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("creator/product", vec![("id", &id)]),
        ("creator/product/save", product_form(&id, "Stolen", "x", "1.00", "")),
        ("creator/product/submit", vec![("id", &id)]),
        ("creator/product/archive", vec![("id", &id)]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(app.call_as(&tom, endpoint, form).await.status(), StatusCode::NOT_FOUND, "Tom calling {endpoint}");
    }
    let mut borrowed = product_form("", "Tern Mapper", "x", "1.00", "");
    borrowed.retain(|(k, _)| *k != "media");
    borrowed.push(("media", &picture_id));
    let r = app.call_as(&tom, "creator/product/save", &borrowed).await;
    assert_eq!(app_error(r).await.field("media"), Some(ErrorCode::NotFound));

    // A customer and a stranger reach none of the portal.
    app.verified_user("Casey", "casey@example.com").await;
    let anonymous = new_client();
    let mut portal = calls.clone();
    portal.push(("creator/dashboard", vec![]));
    portal.push(("creator/categories", vec![]));
    for (endpoint, form) in &portal {
        assert_eq!(app.call(endpoint, form).await.status(), StatusCode::FORBIDDEN, "customer calling {endpoint}");
        assert_eq!(
            app.call_as(&anonymous, endpoint, form).await.status(),
            StatusCode::UNAUTHORIZED,
            "stranger calling {endpoint}"
        );
    }
    let name: String = sqlx::query_scalar("select name_en from products where id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.services.pool)
        .await
        .expect("name");
    assert_eq!(name, "Kestrel Mapper");
}
