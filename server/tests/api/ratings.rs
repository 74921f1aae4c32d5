//! Ratings after delivery: a customer rates what they received and who sent it,
//! once each; reviewers moderate; approved ratings are public with their average,
//! which search filters and sorts by in both engines.

use domain::{
    Error, RequestMeta, Services, catalog,
    commerce::orders::{
        fulfil,
        read::{self, Reader},
    },
    ratings::{Target, submit},
    review::{decide::decide, queue},
    search::index::SearchIndex,
};
use types::TextEnum;
use types::{
    ErrorCode, Locale, SessionUser, UserId,
    certification::GrantInput,
    ids::{ProductId, ReviewItemId},
    ratings::{RatingStatus, RatingSummary},
    review::{ClaimFilter, Decision, ReviewKind},
    search::{SearchParams, Sort},
};

use crate::checkout::{GOOD, customer, fill, order_number, place, products};

fn session(id: UserId, name: &str) -> SessionUser {
    SessionUser {
        id,
        name: name.to_owned(),
        email: format!("{}@example.test", id.0.simple()),
        roles: Vec::new(),
        permissions: Vec::new(),
        locale: Locale::En,
        email_verified: true,
    }
}

/// A customer who bought `product` and received it: (the customer, the sub-order's number).
async fn delivered(services: &Services, n: usize, product: ProductId) -> (SessionUser, String) {
    let pool = &services.pool;
    let buyer = customer(pool, n).await;
    fill(services, buyer, &[(product, 1)]).await;
    let number = format!("{}-1", order_number(&place(services, buyer, GOOD).await.expect("placed")));
    let maker: uuid::Uuid = sqlx::query_scalar(
        "select c.user_id from sub_orders s join creators c on c.id = s.creator_id where s.number = $1",
    )
    .bind(&number)
    .fetch_one(pool)
    .await
    .expect("maker");
    let meta = RequestMeta::default();
    fulfil::ship(services, UserId(maker), &number, "DHL", "JD1", &meta).await.expect("shipped");
    fulfil::deliver(services, UserId(maker), &number, &meta).await.expect("delivered");
    (session(buyer, &format!("Buyer {n}")), number)
}

/// The open rating items, oldest first.
async fn queued(services: &Services, reviewer: &SessionUser) -> Vec<ReviewItemId> {
    let items = queue::list(services, reviewer, Some(ReviewKind::Rating), ClaimFilter::All, 50).await.expect("queue");
    items.into_iter().map(|i| i.id).collect()
}

async fn decide_first(services: &Services, reviewer: &SessionUser, decision: Decision, feedback: &str) {
    let item = queued(services, reviewer).await[0];
    let meta = RequestMeta::default();
    decide(services, reviewer, item, decision, feedback, &GrantInput::default(), &meta).await.expect("decided");
}

async fn slug_of(services: &Services, product: ProductId) -> String {
    sqlx::query_scalar("select slug from products where id = $1")
        .bind(product.0)
        .fetch_one(&services.pool)
        .await
        .expect("slug")
}

#[tokio::test]
async fn a_received_product_is_rated_once_moderated_and_then_shown_with_its_average() {
    let services = crate::helpers::services().await;
    let pool = &services.pool;
    let items = products(&services, &[10]).await;
    let product = items[0].0;
    let meta = RequestMeta::default();
    let rate = |who: &SessionUser, number: &str, stars: &str, body: &str| {
        let (services, who, number, stars, body) =
            (&services, who.clone(), number.to_owned(), stars.to_owned(), body.to_owned());
        let meta = meta.clone();
        async move { submit(services, &who, Target::Product { sub_order: &number, product }, &stars, &body, &meta).await }
    };

    // Not before delivery, and nobody else's.
    let early = customer(pool, 9).await;
    fill(&services, early, &[(product, 1)]).await;
    let undelivered = format!("{}-1", order_number(&place(&services, early, GOOD).await.expect("placed")));
    let early = session(early, "Early Bird");
    assert!(matches!(rate(&early, &undelivered, "5", "Great").await, Err(Error::Conflict(ErrorCode::NotDelivered))));
    let (first, number) = delivered(&services, 1, product).await;
    assert!(matches!(rate(&early, &number, "5", "Great").await, Err(Error::NotFound)), "someone else's order");
    let bad = rate(&first, &number, "0", " ").await;
    assert!(matches!(&bad, Err(Error::Validation(f)) if f.len() == 2), "{bad:?}");

    rate(&first, &number, "5", "Rock steady in wind.").await.expect("rated");
    assert!(
        matches!(rate(&first, &number, "1", "Changed my mind").await, Err(Error::Conflict(ErrorCode::AlreadyRated))),
        "once per order line"
    );
    submit(&services, &first, Target::Maker { sub_order: &number }, "4", "Shipped fast, well packed.", &meta)
        .await
        .expect("maker rated");

    // The customer sees both waiting; nothing is public yet.
    let group = number.trim_end_matches("-1");
    let view = read::order(pool, group, Reader::Customer(first.id)).await.expect("order");
    let sub = &view.sub_orders[0];
    assert!(sub.can_rate);
    assert_eq!(sub.lines[0].rating.as_ref().map(|r| r.status), Some(RatingStatus::Pending));
    assert_eq!(sub.maker_rating.as_ref().map(|r| (r.stars.get(), r.status)), Some((4, RatingStatus::Pending)));
    assert!(
        !read::order(pool, group, Reader::Admin(types::UserId(uuid::Uuid::nil()))).await.expect("order").sub_orders[0]
            .can_rate
    );
    let slug = slug_of(&services, product).await;
    let (_, page) =
        catalog::product(pool, &SearchIndex::new(false), &slug, Locale::En).await.expect("page").expect("published");
    assert_eq!(page.reviews.summary, None, "pending ratings are not public");

    // A reviewer approves both; the customer (not the maker) is told.
    let reviewer = session(customer(pool, 50).await, "Rita Reviewer");
    let items = queued(&services, &reviewer).await;
    assert_eq!(items.len(), 2);
    let detail = queue::detail(&services, &reviewer, items[0]).await.expect("detail");
    assert_eq!(detail.history[0].actor, "Buyer 1", "the customer sent it, not the maker");
    decide_first(&services, &reviewer, Decision::Approve, "").await;
    decide_first(&services, &reviewer, Decision::Approve, "").await;
    let notices: Vec<(String, String)> =
        sqlx::query_as("select kind, link from notifications where user_id = $1 order by created_at")
            .bind(first.id.0)
            .fetch_all(pool)
            .await
            .expect("notices");
    assert_eq!(notices.len(), 2);
    assert!(notices.iter().all(|(kind, link)| kind == "submission_approved" && link == &format!("/orders/{group}")));
    // The maker hears of both reviews published, with their stars.
    crate::notifications::dispatch(&services).await;
    let maker: uuid::Uuid =
        sqlx::query_scalar("select c.user_id from products p join creators c on c.id = p.creator_id where p.id = $1")
            .bind(product.0)
            .fetch_one(pool)
            .await
            .expect("maker");
    let told =
        domain::notifications::in_app::list(&services, types::UserId(maker), Locale::En, 10).await.expect("told");
    let mut published: Vec<&str> = told
        .items
        .iter()
        .filter(|n| n.kind == types::notifications::NotificationKind::RatingPublished)
        .map(|n| n.text.split(" review of ").next().unwrap_or_default())
        .collect();
    published.sort();
    assert_eq!(published, ["A 4-star", "A 5-star"], "{:?}", told.items);

    // A second customer's rating is sent back, edited, then approved: the average is
    // of the approved ratings only, and each shows once.
    let (second, number2) = delivered(&services, 2, product).await;
    rate(&second, &number2, "1", "Did not fly").await.expect("rated");
    decide_first(&services, &reviewer, Decision::RequestChanges, "Please say what went wrong.").await;
    let view = read::order(pool, number2.trim_end_matches("-1"), Reader::Customer(second.id)).await.expect("order");
    let own = view.sub_orders[0].lines[0].rating.clone().expect("rating");
    assert_eq!((own.status, own.feedback.as_str()), (RatingStatus::ChangesRequested, "Please say what went wrong."));
    rate(&second, &number2, "2", "The battery would not charge; support replaced it.").await.expect("edited");
    decide_first(&services, &reviewer, Decision::Approve, "").await;

    let (_, page) =
        catalog::product(pool, &SearchIndex::new(false), &slug, Locale::En).await.expect("page").expect("published");
    assert_eq!(page.reviews.summary, Some(RatingSummary { count: 2, average_hundredths: 350 }));
    assert_eq!(page.reviews.histogram, [0, 1, 0, 0, 1]);
    let texts: Vec<&str> = page.reviews.recent.iter().map(|r| r.body.as_str()).collect();
    assert_eq!(texts, ["The battery would not charge; support replaced it.", "Rock steady in wind."]);
    assert_eq!(page.reviews.recent[1].author, "Buyer 1.");
    assert_eq!(page.creator.rating, Some(RatingSummary { count: 1, average_hundredths: 400 }));

    // Search: "3 stars and up" finds it, "4 and up" does not, and the best rated
    // come first; both engines agree.
    let index = SearchIndex::new(true);
    index.load(pool).await.expect("index");
    let postgres = SearchIndex::new(false);
    for engine in [&index, &postgres] {
        let find = |pairs: &[(&str, &str)]| {
            let params = SearchParams::parse(pairs.iter().copied()).0;
            domain::catalog::search_page::compute(pool, engine, params, Locale::En)
        };
        let three = find(&[("rating", "3")]).await.expect("search");
        assert_eq!(three.total, 1);
        assert_eq!(three.products[0].rating, Some(RatingSummary { count: 2, average_hundredths: 350 }));
        assert_eq!(find(&[("rating", "4")]).await.expect("search").total, 0);
        let facet: Vec<u64> = three.facets.rating.iter().map(|v| v.count).collect();
        assert_eq!(facet, [0, 1, 1]);
        let sorted = find(&[("sort", Sort::Rating.as_str())]).await.expect("search");
        assert_eq!(sorted.products[0].slug, slug, "the only rated product first");
        assert!(sorted.products[1..].iter().all(|p| p.rating.is_none()));
    }
}

#[tokio::test]
async fn a_maker_cannot_rate_their_own_products_and_two_submits_make_one_rating() {
    let services = crate::helpers::services().await;
    let pool = &services.pool;
    let items = products(&services, &[10]).await;
    let (product, maker) = items[0];
    let (buyer, number) = delivered(&services, 1, product).await;
    let meta = RequestMeta::default();

    let target = Target::Product { sub_order: &number, product };
    let (a, b) = tokio::join!(
        submit(&services, &buyer, target, "5", "First tab", &meta),
        submit(&services, &buyer, target, "4", "Second tab", &meta)
    );
    assert!(a.is_ok() != b.is_ok(), "exactly one of two simultaneous submits counts: {a:?} {b:?}");
    let rows: i64 = sqlx::query_scalar("select count(*) from ratings").fetch_one(pool).await.expect("count");
    let items: i64 = sqlx::query_scalar("select count(*) from review_items where kind = 'rating'")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!((rows, items), (1, 1));

    // The maker may not rate their own shop through someone else's order either.
    let owner: uuid::Uuid = sqlx::query_scalar("select user_id from creators where id = $1")
        .bind(maker.0)
        .fetch_one(pool)
        .await
        .expect("owner");
    let me = session(UserId(owner), "Maker");
    let r = submit(&services, &me, Target::Maker { sub_order: &number }, "5", "Best shop ever", &meta).await;
    assert!(matches!(r, Err(Error::NotFound)), "only the buyer rates a sale: {r:?}");
}

/// The demo's history is made once, through the real use-cases: delivered orders,
/// approved reviews shown on products and makers, a few left for the reviewer, and
/// books that balance.
#[tokio::test]
async fn the_demo_history_is_bought_delivered_and_reviewed_once() {
    let services = crate::helpers::services().await;
    let pool = &services.pool;
    let mut options = crate::catalog::seed_options(80, 7);
    options.first_creator_email = Some("creator@openaero.test".into());
    for (email, name, roles) in server::cli::DEMO_ACCOUNTS {
        domain::users::register::create_verified(&services, name, email, "Kestrel-demo-2026", roles)
            .await
            .expect("demo account");
    }
    catalog::seed::seed_catalog(pool, &options).await.expect("catalog");
    sqlx::query("update products set stock_on_hand = 50, stock_reserved = 0").execute(pool).await.expect("stock");

    let orders = domain::demo::history(&services, "Kestrel-demo-2026").await.expect("history");
    assert_eq!(orders, 18);
    assert_eq!(domain::demo::history(&services, "Kestrel-demo-2026").await.expect("again"), 0, "made once");
    let by_status: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from ratings group by status order by status")
            .fetch_all(pool)
            .await
            .expect("ratings");
    assert_eq!(by_status, [("approved".to_owned(), 22), ("pending".to_owned(), 2)]);
    let demo_maker_sales: i64 = sqlx::query_scalar(
        "select count(*) from sub_orders s join creators c on c.id = s.creator_id join users u on u.id = c.user_id
         where u.email = 'creator@openaero.test' and s.status = 'delivered'",
    )
    .fetch_one(pool)
    .await
    .expect("sales");
    assert!(demo_maker_sales > 0, "the demo creator's portal has sales");
    let rated: i64 = sqlx::query_scalar("select count(*) from products where rating_count > 0")
        .fetch_one(pool)
        .await
        .expect("rated");
    assert_eq!(rated, 12);
    let report = domain::ledger::reconcile::run(pool).await.expect("reconcile");
    assert!(report.balanced(), "{:?}", report.checks);
}
