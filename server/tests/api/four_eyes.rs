//! Four eyes: one person holding a maker's, a reviewer's and an admin's roles tries to
//! decide every kind of case that is their own. Each attempt is refused, changes
//! nothing and leaves one audit entry; the console shows them whose turn it is.

use domain::{
    Error, RequestMeta, Services,
    commerce::{
        cart::{self, CartOwner},
        orders::fulfil::{self, RefundBy},
    },
    ledger::payouts,
    ratings::{Target, submit},
    review::{decide::decide, queue},
};
use reqwest::StatusCode;
use types::{
    ErrorCode, Locale, Role, SessionUser, UserId,
    certification::GrantInput,
    ids::{CreatorId, PayoutId, ReviewItemId},
    review::{Decision, ReviewKind},
};

use crate::{
    checkout::{GOOD, customer, fill, order_number, place, products},
    helpers::{PASSWORD, TestApp, app_error, spawn_app},
};

/// The maker of `creator`, made a reviewer and an admin too, able to log in.
async fn maker_with_every_role(app: &TestApp, creator: CreatorId) -> SessionUser {
    let pool = &app.services.pool;
    let (id, email): (uuid::Uuid, String) =
        sqlx::query_as("select u.id, u.email from creators c join users u on u.id = c.user_id where c.id = $1")
            .bind(creator.0)
            .fetch_one(pool)
            .await
            .expect("maker");
    let hash = domain::users::password_hash::hash(PASSWORD.to_owned()).await.expect("hash");
    sqlx::query("update users set password_hash = $2, email_verified_at = now() where id = $1")
        .bind(id)
        .bind(hash)
        .execute(pool)
        .await
        .expect("password");
    for role in ["reviewer", "admin"] {
        sqlx::query("insert into user_roles (user_id, role) values ($1, $2) on conflict do nothing")
            .bind(id)
            .bind(role)
            .execute(pool)
            .await
            .expect("role");
    }
    SessionUser {
        id: UserId(id),
        name: "Maker".into(),
        email,
        // The domain calls below take the person as given; permissions are checked by
        // the server functions, which the HTTP part goes through.
        permissions: Vec::new(),
        roles: vec![Role::Creator, Role::Reviewer, Role::Admin],
        locale: Locale::En,
        email_verified: true,
    }
}

/// Ships and delivers sub-order `number` as its maker would.
async fn delivered(services: &Services, number: &str) {
    let maker: uuid::Uuid = sqlx::query_scalar(
        "select c.user_id from sub_orders s join creators c on c.id = s.creator_id where s.number = $1",
    )
    .bind(number)
    .fetch_one(&services.pool)
    .await
    .expect("maker");
    let meta = RequestMeta::default();
    fulfil::ship(services, UserId(maker), number, "DHL", "JD1", &meta).await.expect("shipped");
    fulfil::deliver(services, UserId(maker), number, &meta).await.expect("delivered");
}

async fn refusals(services: &Services, me: &SessionUser) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1 and actor_id = $2")
        .bind(domain::four_eyes::REFUSED)
        .bind(me.id.0)
        .fetch_one(&services.pool)
        .await
        .expect("audit")
}

fn refused_as_own_case<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    assert!(matches!(result, Err(Error::Refused(ErrorCode::OwnCase))), "{what}: {result:?}");
}

#[tokio::test]
async fn nobody_decides_their_own_case_whatever_roles_they_hold() {
    let app = spawn_app().await;
    let services = &app.services;
    let pool = &services.pool;
    let items = products(services, &[10, 10]).await;
    let ((own_product, own_shop), (other_product, _)) = (items[0], items[1]);
    let me = maker_with_every_role(&app, own_shop).await;
    let meta = RequestMeta::default();

    // Submissions of every kind from the maker's own shop, waiting for review.
    let mut cases: Vec<(ReviewKind, ReviewItemId)> = Vec::new();
    let mut conn = pool.acquire().await.expect("conn");
    for kind in [
        ReviewKind::CreatorVerification,
        ReviewKind::ProductSubmission,
        ReviewKind::PortfolioItem,
        ReviewKind::CertificationApplication,
    ] {
        let item = queue::open(&mut conn, kind, uuid::Uuid::new_v4(), own_shop, "Own submission", &[]).await;
        cases.push((kind, item.expect("opened")));
    }
    drop(conn);
    // A customer's rating of the maker's shop, and a rating the maker wrote of another's.
    let buyer = customer(pool, 1).await;
    fill(services, buyer, &[(own_product, 1)]).await;
    let sold = format!("{}-1", order_number(&place(services, buyer, GOOD).await.expect("placed")));
    delivered(services, &sold).await;
    let buyer_session = SessionUser { id: buyer, ..me.clone() };
    submit(services, &buyer_session, Target::Maker { sub_order: &sold }, "5", "Lovely shop", &meta)
        .await
        .expect("rated");
    fill(services, me.id, &[(other_product, 1)]).await;
    let bought = format!("{}-1", order_number(&place(services, me.id, GOOD).await.expect("placed")));
    delivered(services, &bought).await;
    submit(services, &me, Target::Product { sub_order: &bought, product: other_product }, "5", "Great", &meta)
        .await
        .expect("rated");
    let ratings: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from review_items where kind = 'rating' order by submitted_at")
            .fetch_all(pool)
            .await
            .expect("rating items");
    assert_eq!(ratings.len(), 2);
    cases.extend(ratings.into_iter().map(|id| (ReviewKind::Rating, ReviewItemId(id))));

    let mut attempts = 0;
    for (kind, item) in &cases {
        refused_as_own_case(&format!("claiming {kind:?}"), queue::claim(services, &me, *item).await);
        let decided = decide(services, &me, *item, Decision::Approve, "", &GrantInput::default(), &meta).await;
        refused_as_own_case(&format!("approving {kind:?}"), decided);
        attempts += 2;
        let (status, claimed): (String, Option<uuid::Uuid>) =
            sqlx::query_as("select status, claimed_by from review_items where id = $1")
                .bind(item.0)
                .fetch_one(pool)
                .await
                .expect("item");
        assert_eq!((status.as_str(), claimed), ("open", None), "{kind:?} is untouched");
    }
    let decisions: i64 = sqlx::query_scalar("select count(*) from review_decisions").fetch_one(pool).await.expect("n");
    assert_eq!(decisions, 0, "no decision was recorded");

    // Money: a payout to the maker's own shop, a refund of their own purchase, and a
    // refund of a sale of their own shop.
    let payout = PayoutId::new();
    sqlx::query("insert into payouts (id, creator_id, amount_minor, currency) values ($1, $2, 1000, 'EUR')")
        .bind(payout.0)
        .bind(own_shop.0)
        .execute(pool)
        .await
        .expect("payout");
    refused_as_own_case(
        "approving a payout",
        payouts::decide(pool, me.id, payout, payouts::Decision::Approve, &meta).await,
    );
    for number in [&bought, &sold] {
        let refund = fulfil::refund(services, number, None, "Goodwill", RefundBy::Admin(me.id), &meta).await;
        refused_as_own_case(&format!("refunding {number}"), refund);
    }
    attempts += 3;
    let status: String = sqlx::query_scalar("select status from payouts where id = $1")
        .bind(payout.0)
        .fetch_one(pool)
        .await
        .expect("payout");
    assert_eq!(status, "requested");
    let refunds: i64 = sqlx::query_scalar("select count(*) from refunds").fetch_one(pool).await.expect("refunds");
    assert_eq!(refunds, 0);
    assert_eq!(refusals(services, &me).await, attempts, "one audit entry per attempt");

    // Over HTTP: 403 with the reason, and the console says whose turn it is.
    assert_eq!(app.login(&me.email, PASSWORD).await.status(), StatusCode::OK);
    let r = app.call("review/claim", &[("id", &cases[4].1.to_string())]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app_error(r).await.code, ErrorCode::OwnCase);
    let queue_page = app.get_html("/admin").await;
    assert!(queue_page.contains("Yours: another reviewer decides"), "{queue_page}");
    let item_page = app.get_html(&format!("/admin/review/{}", cases[4].1)).await;
    assert!(item_page.contains("Submitted by you or about your shop: another reviewer decides."), "{item_page}");
    assert!(!item_page.contains("name=\"decision\""), "no decision form on one's own case");
}

#[tokio::test]
async fn a_maker_cannot_buy_their_own_products() {
    let app = spawn_app().await;
    let services = &app.services;
    let items = products(services, &[10]).await;
    let (product, shop) = items[0];
    let me = maker_with_every_role(&app, shop).await;
    let r = cart::add(&services.pool, CartOwner::User(me.id), product, 1).await;
    assert!(matches!(r, Err(Error::Refused(ErrorCode::OwnListing))), "{r:?}");
    // Put in the cart before signing in (an anonymous cart merges at login): checkout refuses.
    let (cart,): (uuid::Uuid,) = sqlx::query_as("insert into carts (id, user_id) values ($1, $2) returning id")
        .bind(uuid::Uuid::new_v4())
        .bind(me.id.0)
        .fetch_one(&services.pool)
        .await
        .expect("cart");
    sqlx::query(
        "insert into cart_items (cart_id, product_id, quantity, seen_price_minor, seen_currency)
         select $1, id, 1, price_minor, currency from products where id = $2",
    )
    .bind(cart)
    .bind(product.0)
    .execute(&services.pool)
    .await
    .expect("line");
    let r = place(services, me.id, GOOD).await;
    assert!(matches!(r, Err(Error::Refused(ErrorCode::OwnListing))), "{r:?}");
    let orders: i64 =
        sqlx::query_scalar("select count(*) from order_groups").fetch_one(&services.pool).await.expect("orders");
    assert_eq!(orders, 0);
}
