//! Checkout: the saga from cart to paid orders, under concurrency, double submits,
//! declined and unreachable cards, crashes at every step, and webhooks (late
//! confirmations, forgeries, replays). After each, the books must balance.

use chrono::{Duration, Utc};
use domain::{
    Error, RequestMeta, Services,
    commerce::{
        cart::{self, CartOwner},
        checkout::{self, PlaceOrder, ShipToChoice, recovery, saga, start, webhooks},
        orders::read::{self, Reader},
        payments::{AuthorizeRequest, CardDetails},
    },
    ledger,
};
use sqlx::PgPool;
use types::{
    ErrorCode,
    checkout::CheckoutOutcome,
    ids::{CheckoutId, CreatorId, ProductId, UserId},
    orders::{ShipTo, SubOrderStatus},
};

use crate::{catalog::seed_options, helpers::services};

pub(crate) const GOOD: &str = "4242 4242 4242 4242";
const DECLINED: &str = "4000 0000 0000 0002";
const NETWORK_DOWN: &str = "4000 0000 0000 0119";
const LATER: &str = "4000 0000 0000 3220";
const DECLINED_LATER: &str = "4000 0000 0000 3238";

/// `n` published products of different makers, with the stock given: (id, maker).
pub(crate) async fn products(services: &Services, stock: &[i32]) -> Vec<(ProductId, CreatorId)> {
    domain::catalog::seed::seed_catalog(&services.pool, &seed_options(12, 5)).await.expect("seed");
    let rows: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
        "select id, creator_id from (
             select distinct on (creator_id) id, creator_id from products
             where status = 'published' order by creator_id, id
         ) one_per_maker order by creator_id limit $1",
    )
    .bind(stock.len() as i64)
    .fetch_all(&services.pool)
    .await
    .expect("products");
    assert_eq!(rows.len(), stock.len(), "enough makers in the seed");
    for ((id, _), stock) in rows.iter().zip(stock) {
        sqlx::query("update products set stock_on_hand = $2, stock_reserved = 0 where id = $1")
            .bind(id)
            .bind(stock)
            .execute(&services.pool)
            .await
            .expect("stock");
    }
    rows.into_iter().map(|(p, c)| (ProductId(p), CreatorId(c))).collect()
}

/// A customer account, written directly (hashing a password 200 times would only
/// slow the test down).
pub(crate) async fn customer(pool: &PgPool, n: usize) -> UserId {
    let id = UserId::new();
    sqlx::query(
        "insert into users (id, email, name, password_hash, email_verified_at) values ($1, $2, $3, 'unused', now())",
    )
    .bind(id.0)
    .bind(format!("buyer{n}-{}@example.test", id.0.simple()))
    .bind(format!("Buyer {n}"))
    .execute(pool)
    .await
    .expect("user");
    // A new account's preferences, as registering writes them.
    for (kind, channel) in types::profile::Preferences::defaults(types::Locale::En).enabled {
        sqlx::query("insert into notification_preferences (user_id, kind, channel) values ($1, $2, $3)")
            .bind(id.0)
            .bind(types::TextEnum::as_str(kind))
            .bind(types::TextEnum::as_str(channel))
            .execute(pool)
            .await
            .expect("preferences");
    }
    id
}

pub(crate) async fn fill(services: &Services, user: UserId, lines: &[(ProductId, i32)]) {
    for (product, quantity) in lines {
        cart::add(&services.pool, CartOwner::User(user), *product, *quantity).await.expect("add to cart");
    }
}

pub(crate) fn ship_to() -> ShipTo {
    ShipTo {
        full_name: "Casey Customer".into(),
        line1: "1 Runway Road".into(),
        city: "Berlin".into(),
        postal_code: "10115".into(),
        country: "de".into(),
        ..ShipTo::default()
    }
}

pub(crate) fn card(number: &str) -> CardDetails {
    CardDetails::parse(number, "12/30", "123", Utc::now().date_naive()).expect("test card")
}

/// The order as the checkout page would send it: this cart's key and total.
pub(crate) async fn order_form(services: &Services, user: UserId, number: &str) -> PlaceOrder {
    let page = checkout::page(&services.pool, user).await.expect("checkout page");
    PlaceOrder {
        key: page.key,
        reviewed_total_minor: page.cart.total().minor,
        ship_to: ShipToChoice::New { address: ship_to(), save: false },
        card: card(number),
    }
}

pub(crate) async fn place(services: &Services, user: UserId, number: &str) -> Result<CheckoutOutcome, Error> {
    let order = order_form(services, user, number).await;
    checkout::place(services, user, order, &RequestMeta::default()).await
}

pub(crate) async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

pub(crate) async fn stock(pool: &PgPool, product: ProductId) -> (i32, i32) {
    sqlx::query_as("select stock_on_hand, stock_reserved from products where id = $1")
        .bind(product.0)
        .fetch_one(pool)
        .await
        .expect("stock")
}

/// The invariants every test ends on: the books balance, no stock is held by a
/// checkout that ended, and money was taken exactly for paid orders.
pub(crate) async fn assert_consistent(services: &Services) {
    let pool = &services.pool;
    let report = ledger::reconcile::run(pool).await.expect("reconcile");
    assert!(report.balanced(), "{:?}", report.checks);
    let held_by_ended = scalar(
        pool,
        "select count(*) from checkout_lines l join checkouts c on c.id = l.checkout_id
         where c.state in ('completed', 'failed') and exists (
             select 1 from products p where p.id = l.product_id and p.stock_reserved > 0
               and not exists (select 1 from checkouts o join checkout_lines ol on ol.checkout_id = o.id
                               where ol.product_id = p.id and o.state not in ('completed', 'failed')))",
    )
    .await;
    assert_eq!(held_by_ended, 0, "stock reserved with no open checkout");
    let captured = scalar(pool, "select count(*) from sandbox_payments where status = 'captured'").await;
    let paid = scalar(pool, "select count(*) from checkouts where state = 'completed'").await;
    assert_eq!(captured, paid, "a charge for every paid checkout, and none without");
    let held = scalar(pool, "select count(*) from sandbox_payments where status in ('authorized', 'pending')").await;
    let open = scalar(pool, "select count(*) from checkouts where state not in ('completed', 'failed')").await;
    assert!(held <= open, "money held for a checkout that ended ({held} held, {open} open)");
}

pub(crate) fn order_number(outcome: &CheckoutOutcome) -> String {
    match outcome {
        CheckoutOutcome::Completed { order_number, .. } | CheckoutOutcome::Pending { order_number, .. } => {
            order_number.clone()
        }
        CheckoutOutcome::Failed { reason, .. } => panic!("checkout failed: {reason:?}"),
    }
}

fn checkout_id(outcome: &CheckoutOutcome) -> CheckoutId {
    match outcome {
        CheckoutOutcome::Completed { checkout, .. }
        | CheckoutOutcome::Pending { checkout, .. }
        | CheckoutOutcome::Failed { checkout, .. } => *checkout,
    }
}

#[tokio::test]
async fn a_paid_checkout_splits_per_maker_books_the_sale_and_empties_the_cart() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 2), (items[1].0, 1)]).await;
    let total = checkout::page(pool, buyer).await.expect("page").cart.total().minor;

    let outcome = place(&services, buyer, GOOD).await.expect("checkout");
    assert!(matches!(outcome, CheckoutOutcome::Completed { .. }), "{outcome:?}");
    let order = read::order(pool, &order_number(&outcome), Reader::Customer(buyer)).await.expect("order");
    assert_eq!(order.total.minor, total);
    assert_eq!(order.sub_orders.len(), 2, "one sub-order per maker");
    for sub in &order.sub_orders {
        assert_eq!(sub.status, SubOrderStatus::Paid);
        let steps: Vec<_> = sub.timeline.iter().map(|t| t.status).collect();
        assert_eq!(steps, [SubOrderStatus::PendingPayment, SubOrderStatus::Paid]);
        assert!(sub.number.starts_with(&order.number));
        assert_eq!(sub.commission, None, "the customer does not see the commission");
    }
    assert_eq!(order.ship_to.country, "DE");
    assert_eq!(order.payment.as_ref().map(|p| p.card.as_str()), Some("Visa •••• 4242"));
    assert_eq!(stock(pool, items[0].0).await, (3, 0));
    assert_eq!(stock(pool, items[1].0).await, (4, 0));
    assert!(cart::view(pool, CartOwner::User(buyer)).await.expect("cart").is_empty(), "bought lines leave the cart");

    // The maker is owed the subtotal less the default 10 % commission, pending delivery.
    let sub = &order.sub_orders[0];
    let maker = items[0].1;
    let mut conn = pool.acquire().await.expect("conn");
    let balances = ledger::creator_balances(&mut conn, maker, "USD").await.expect("balances");
    let commission = (sub.subtotal.minor * 1_000 + 5_000) / 10_000;
    assert_eq!(balances.pending, sub.subtotal.minor - commission);
    assert_eq!(balances.available, 0);
    let events: Vec<String> =
        sqlx::query_scalar("select event_type from outbox_events order by seq").fetch_all(pool).await.expect("events");
    for wanted in ["order.created", "order.paid", "payment.processed"] {
        assert!(events.iter().any(|e| e == wanted), "{wanted} in {events:?}");
    }
    assert_consistent(&services).await;
}

#[tokio::test]
async fn two_hundred_buyers_for_ten_drones_make_ten_orders_and_nobody_is_oversold() {
    let services = services().await;
    let pool = &services.pool;
    let [(drone, _)] = products(&services, &[10]).await[..] else { unreachable!() };
    let mut buyers = Vec::new();
    for n in 0..200 {
        let buyer = customer(pool, n).await;
        fill(&services, buyer, &[(drone, 1)]).await;
        buyers.push(buyer);
    }
    let mut forms = Vec::new();
    for buyer in &buyers {
        forms.push((*buyer, order_form(&services, *buyer, GOOD).await));
    }
    let tasks: Vec<_> = forms
        .into_iter()
        .map(|(buyer, form)| {
            let services = services.clone();
            tokio::spawn(async move { checkout::place(&services, buyer, form, &RequestMeta::default()).await })
        })
        .collect();
    let (mut paid, mut sold_out) = (0, 0);
    for task in tasks {
        match task.await.expect("task") {
            Ok(CheckoutOutcome::Completed { .. }) => paid += 1,
            Err(Error::Conflict(ErrorCode::SoldOut)) => sold_out += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((paid, sold_out), (10, 190));
    assert_eq!(stock(pool, drone).await, (0, 0));
    assert_eq!(scalar(pool, "select count(*) from sub_orders where status = 'paid'").await, 10);
    assert_consistent(&services).await;
}

#[tokio::test]
async fn a_double_submit_makes_one_order_and_one_charge() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[3]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 1)]).await;
    let first = order_form(&services, buyer, GOOD).await;
    let second = order_form(&services, buyer, GOOD).await;
    assert_eq!(first.key, second.key, "two tabs of one cart share the key");
    let meta = RequestMeta::default();
    let (a, b) =
        tokio::join!(checkout::place(&services, buyer, first, &meta), checkout::place(&services, buyer, second, &meta));
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert_eq!(order_number(&a), order_number(&b), "both submits answer the same order");
    // A retry after a timeout, with the same key, finds the same order again.
    let mut retry = order_form(&services, buyer, GOOD).await;
    retry.key = match &a {
        CheckoutOutcome::Completed { checkout, .. } => {
            sqlx::query_scalar::<_, uuid::Uuid>("select idempotency_key from checkouts where id = $1")
                .bind(checkout.0)
                .fetch_one(pool)
                .await
                .expect("key")
                .to_string()
        }
        other => panic!("{other:?}"),
    };
    let again = checkout::place(&services, buyer, retry, &meta).await.expect("retry");
    assert_eq!(order_number(&again), order_number(&a));
    assert_eq!(scalar(pool, "select count(*) from order_groups").await, 1);
    assert_eq!(scalar(pool, "select count(*) from sandbox_payments").await, 1, "one charge");
    assert_eq!(stock(pool, items[0].0).await, (2, 0));
    assert_consistent(&services).await;
}

#[tokio::test]
async fn a_declined_or_unreachable_card_charges_nothing_and_keeps_the_cart() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[4]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 2)]).await;

    for (number, reason) in [(DECLINED, ErrorCode::CardDeclined), (NETWORK_DOWN, ErrorCode::PaymentUnavailable)] {
        let key_before = checkout::page(pool, buyer).await.expect("page").key;
        let outcome = place(&services, buyer, number).await.expect("answered");
        match &outcome {
            CheckoutOutcome::Failed { reason: got, .. } => assert_eq!(*got, reason, "{number}"),
            other => panic!("{number}: {other:?}"),
        }
        assert_eq!(stock(pool, items[0].0).await, (4, 0), "the stock is back");
        let view = cart::view(pool, CartOwner::User(buyer)).await.expect("cart");
        assert_eq!(view.count(), 2, "the cart is kept");
        let key_after = checkout::page(pool, buyer).await.expect("page").key;
        assert_ne!(key_before, key_after, "the customer may try again");
        let id = checkout_id(&outcome);
        let number = read::order(
            pool,
            &saga::load(pool, id).await.expect("checkout").order_number,
            Reader::Admin(types::UserId(uuid::Uuid::nil())),
        )
        .await
        .expect("order");
        assert!(number.sub_orders.iter().all(|s| s.status == SubOrderStatus::Cancelled));
    }
    assert_eq!(scalar(pool, "select count(*) from sandbox_payments where status <> 'declined'").await, 0);

    let outcome = place(&services, buyer, GOOD).await.expect("third try");
    assert!(matches!(outcome, CheckoutOutcome::Completed { .. }), "{outcome:?}");
    assert_eq!(stock(pool, items[0].0).await, (2, 0));
    let listed = read::for_customer(pool, buyer).await.expect("orders");
    assert_eq!(listed.len(), 1, "failed payments are not orders in the customer's list");
    assert_consistent(&services).await;
}

/// Begins a checkout (stock reserved, orders made) without running the saga, as if
/// the server died right after the first step.
async fn begun(services: &Services, buyer: UserId) -> CheckoutId {
    let form = order_form(services, buyer, GOOD).await;
    let card = start::CardOnFile { brand: "Visa", last4: "4242".into() };
    let key = form.key.parse().expect("key");
    match start::begin(services, buyer, key, &ship_to(), form.reviewed_total_minor, &card, &RequestMeta::default())
        .await
        .expect("begin")
    {
        start::Begun::New(id) => id,
        start::Begun::Existing(_) => panic!("a new checkout"),
    }
}

/// The state a dead worker left, with its lease already run out.
async fn crashed_at(pool: &PgPool, id: CheckoutId, state: &str) {
    sqlx::query("update checkouts set state = $2, lease_until = now() - interval '1 second' where id = $1")
        .bind(id.0)
        .bind(state)
        .execute(pool)
        .await
        .expect("crash");
}

#[tokio::test]
async fn a_checkout_interrupted_at_any_step_is_resumed_or_compensated() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[10]).await;
    let drone = items[0].0;
    let provider = &services.payments;

    // Left reserved (as an older version recorded a checkout before asking to be
    // paid): compensated.
    let a = customer(pool, 1).await;
    fill(&services, a, &[(drone, 1)]).await;
    let id = begun(&services, a).await;
    assert_eq!(stock(pool, drone).await, (10, 1));
    assert_eq!(recovery::recover(&services).await.expect("recover"), 0, "a live lease is left alone");
    crashed_at(pool, id, "reserved").await;
    assert_eq!(recovery::recover(&services).await.expect("recover"), 1);
    assert!(matches!(checkout::outcome(pool, id).await, Ok(CheckoutOutcome::Failed { .. })));
    assert_eq!(stock(pool, drone).await, (10, 0));

    // Died after recording "authorizing", before the call reached the provider.
    let b = customer(pool, 2).await;
    fill(&services, b, &[(drone, 1)]).await;
    let id = begun(&services, b).await;
    crashed_at(pool, id, "authorizing").await;
    recovery::recover(&services).await.expect("recover");
    assert!(matches!(checkout::outcome(pool, id).await, Ok(CheckoutOutcome::Failed { .. })));
    assert_eq!(stock(pool, drone).await, (10, 0));

    // Died after the provider authorized, before the answer was recorded: the
    // provider knows the key, so the checkout goes on and completes.
    let c = customer(pool, 3).await;
    fill(&services, c, &[(drone, 2)]).await;
    let id = begun(&services, c).await;
    let total = saga::load(pool, id).await.expect("load").total_minor;
    let good = card(GOOD);
    let key = saga::key(id, "authorize");
    let request = AuthorizeRequest { amount_minor: total, currency: "USD", card: &good, idempotency_key: &key };
    provider.authorize(request).await.expect("authorized at the provider");
    crashed_at(pool, id, "authorizing").await;
    recovery::recover(&services).await.expect("recover");
    assert!(matches!(checkout::outcome(pool, id).await, Ok(CheckoutOutcome::Completed { .. })));
    assert_eq!(stock(pool, drone).await, (8, 0));
    let steps: Vec<String> = sqlx::query_scalar("select state from checkout_steps where checkout_id = $1 order by seq")
        .bind(id.0)
        .fetch_all(pool)
        .await
        .expect("steps");
    assert_eq!(steps, ["reserved", "authorizing", "authorized", "capturing", "completed"], "every step recorded");

    // Died while capturing, after the provider captured: capture again with the
    // same key is one capture; the order is confirmed.
    let e = customer(pool, 5).await;
    fill(&services, e, &[(drone, 1)]).await;
    let id = begun(&services, e).await;
    let total = saga::load(pool, id).await.expect("load").total_minor;
    let key_e = saga::key(id, "authorize");
    let request = AuthorizeRequest { amount_minor: total, currency: "USD", card: &good, idempotency_key: &key_e };
    let reference = match provider.authorize(request).await.expect("authorized") {
        domain::commerce::payments::Authorization::Approved { reference } => reference,
        other => panic!("{other:?}"),
    };
    sqlx::query(
        "insert into payments (id, checkout_id, provider, reference, status, amount_minor, currency)
         values (gen_random_uuid(), $1, 'sandbox', $2, 'authorized', $3, 'USD')",
    )
    .bind(id.0)
    .bind(&reference)
    .bind(total)
    .execute(pool)
    .await
    .expect("payment");
    provider.capture(&reference, total, &saga::key(id, "capture")).await.expect("captured at the provider");
    crashed_at(pool, id, "capturing").await;
    recovery::recover(&services).await.expect("recover");
    assert!(matches!(checkout::outcome(pool, id).await, Ok(CheckoutOutcome::Completed { .. })));
    assert_eq!(stock(pool, drone).await, (7, 0));
    assert_consistent(&services).await;
}

/// Lets the sandbox's due webhooks go out now, as its worker would.
async fn deliver_webhooks(services: &Services) -> Vec<(String, Vec<u8>)> {
    let sandbox = services.sandbox.clone().expect("sandbox");
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let due = sandbox.take_due_webhooks(Utc::now()).await.expect("due");
    let mut sent = Vec::new();
    for hook in due {
        assert_eq!(
            webhooks::receive(services, &hook.signature, &hook.body).await.expect("accepted"),
            webhooks::Receipt::Applied
        );
        sandbox.delivered(&hook.reference).await.expect("acknowledged");
        sent.push((hook.signature, hook.body));
    }
    sent
}

#[tokio::test]
async fn a_payment_confirmed_later_completes_by_webhook_once_however_often_it_arrives() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 1)]).await;

    let outcome = place(&services, buyer, LATER).await.expect("placed");
    assert!(matches!(outcome, CheckoutOutcome::Pending { .. }), "{outcome:?}");
    let id = checkout_id(&outcome);
    assert_eq!(stock(pool, items[0].0).await, (5, 1), "held while the network decides");
    let sent = deliver_webhooks(&services).await;
    assert_eq!(sent.len(), 1);
    assert!(matches!(checkout::outcome(pool, id).await, Ok(CheckoutOutcome::Completed { .. })));
    assert_eq!(stock(pool, items[0].0).await, (4, 0));

    // The same webhook again (a network retry, or a replay by someone who captured
    // it): recorded once, no second effect.
    let transactions = scalar(pool, "select count(*) from ledger_transactions").await;
    let (signature, body) = &sent[0];
    assert_eq!(webhooks::receive(&services, signature, body).await.expect("replay"), webhooks::Receipt::Duplicate);
    assert_eq!(scalar(pool, "select count(*) from ledger_transactions").await, transactions);

    // Forged, tampered with, or signed outside the replay window: refused, nothing changes.
    let sandbox = services.sandbox.clone().expect("sandbox");
    let forged = String::from_utf8_lossy(body).replace("evt_", "evt_forged_");
    let refused = webhooks::receive(&services, signature, forged.as_bytes()).await;
    assert!(matches!(refused, Err(Error::BadRequest(ErrorCode::TokenInvalid))), "{refused:?}");
    let stale = sandbox.sign(Utc::now() - Duration::minutes(10), forged.as_bytes());
    let refused = webhooks::receive(&services, &stale, forged.as_bytes()).await;
    assert!(matches!(refused, Err(Error::BadRequest(ErrorCode::TokenExpired))), "{refused:?}");
    assert_eq!(scalar(pool, "select count(*) from payment_webhooks").await, 1);

    // Declined later: the stock goes back and the customer is told why.
    fill(&services, buyer, &[(items[1].0, 2)]).await;
    let outcome = place(&services, buyer, DECLINED_LATER).await.expect("placed");
    let id = checkout_id(&outcome);
    deliver_webhooks(&services).await;
    assert!(matches!(
        checkout::outcome(pool, id).await,
        Ok(CheckoutOutcome::Failed { reason: ErrorCode::CardDeclined, .. })
    ));
    assert_eq!(stock(pool, items[1].0).await, (5, 0));
    assert_consistent(&services).await;
}

#[tokio::test]
async fn an_unconfirmed_payment_expires_and_gives_the_stock_back() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[2]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 2)]).await;
    let outcome = place(&services, buyer, LATER).await.expect("placed");
    let id = checkout_id(&outcome);
    // The network never answers.
    sqlx::query("update sandbox_payments set webhook_at = null").execute(pool).await.expect("silence");
    assert_eq!(recovery::recover(&services).await.expect("recover"), 0, "not expired yet");
    sqlx::query(
        "update checkouts set expires_at = now() - interval '1 second', lease_until = now() - interval '1 second'",
    )
    .execute(pool)
    .await
    .expect("expire");
    assert_eq!(recovery::recover(&services).await.expect("recover"), 1);
    assert!(matches!(
        checkout::outcome(pool, id).await,
        Ok(CheckoutOutcome::Failed { reason: ErrorCode::CheckoutExpired, .. })
    ));
    assert_eq!(stock(pool, items[0].0).await, (2, 0));
    assert_eq!(scalar(pool, "select count(*) from sandbox_payments where status = 'voided'").await, 1);
    assert_consistent(&services).await;
}

#[tokio::test]
async fn nobody_reads_another_customers_order_or_checkout() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[2]).await;
    let (owner, other) = (customer(pool, 1).await, customer(pool, 2).await);
    fill(&services, owner, &[(items[0].0, 1)]).await;
    let outcome = place(&services, owner, GOOD).await.expect("placed");
    let number = order_number(&outcome);
    assert!(read::order(pool, &number, Reader::Customer(owner)).await.is_ok());
    assert!(matches!(read::order(pool, &number, Reader::Customer(other)).await, Err(Error::NotFound)));
    assert!(read::for_customer(pool, other).await.expect("list").is_empty());
    assert_eq!(read::for_customer(pool, owner).await.expect("list").len(), 1);
}

#[tokio::test]
async fn a_cart_that_changed_since_review_is_not_bought() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[3]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 1)]).await;
    let order = order_form(&services, buyer, GOOD).await;
    sqlx::query("update products set price_minor = price_minor + 100 where id = $1")
        .bind(items[0].0.0)
        .execute(pool)
        .await
        .expect("reprice");
    let refused = checkout::place(&services, buyer, order, &RequestMeta::default()).await;
    assert!(matches!(refused, Err(Error::Conflict(ErrorCode::CartChanged))), "{refused:?}");
    assert_eq!(stock(pool, items[0].0).await, (3, 0));
    assert_eq!(scalar(pool, "select count(*) from checkouts").await, 0);

    let empty = customer(pool, 2).await;
    let refused = place(&services, empty, GOOD).await;
    assert!(matches!(refused, Err(Error::Conflict(ErrorCode::CartEmpty)) | Err(Error::BadRequest(_))), "{refused:?}");
}

#[tokio::test]
async fn the_ledger_refuses_unbalanced_or_edited_transactions() {
    let services = services().await;
    let pool = &services.pool;
    let mut tx = pool.begin().await.expect("tx");
    sqlx::query("insert into ledger_transactions (id, kind, reference) values (gen_random_uuid(), 'payment', 'x')")
        .execute(&mut *tx)
        .await
        .expect("transaction");
    sqlx::query(
        "insert into ledger_entries (transaction_id, account, amount_minor, currency)
         select id, 'cash', 100, 'USD' from ledger_transactions where reference = 'x'
         union all select id, 'commission', -99, 'USD' from ledger_transactions where reference = 'x'",
    )
    .execute(&mut *tx)
    .await
    .expect("entries go in; the check runs at commit");
    let refused = tx.commit().await;
    assert!(refused.is_err(), "an unbalanced transaction does not commit");

    let items = products(&services, &[1]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 1)]).await;
    place(&services, buyer, GOOD).await.expect("placed");
    let edit = sqlx::query("update ledger_entries set amount_minor = amount_minor + 1").execute(pool).await;
    assert!(edit.is_err(), "posted entries cannot be edited");
    let delete = sqlx::query("delete from ledger_transactions").execute(pool).await;
    assert!(delete.is_err(), "nor deleted");
    assert_consistent(&services).await;
}

#[tokio::test]
async fn the_webhook_endpoint_takes_only_signed_recent_messages_and_each_once() {
    let app = crate::helpers::spawn_app().await;
    let sandbox = app.services.sandbox.clone().expect("sandbox");
    let client = crate::helpers::new_client();
    let url = app.url("/webhooks/payments/sandbox");
    let body = br#"{"id":"evt_http_1","type":"payment.authorized","reference":"sbx_nobody"}"#.to_vec();
    let post = |signature: String, body: Vec<u8>, url: String| {
        let client = client.clone();
        async move { client.post(url).header("OpenAero-Signature", signature).body(body).send().await.expect("post") }
    };

    let forged = post("t=1,v1=00".into(), body.clone(), url.clone()).await;
    assert_eq!(forged.status(), reqwest::StatusCode::BAD_REQUEST);
    let stale = post(sandbox.sign(Utc::now() - Duration::minutes(6), &body), body.clone(), url.clone()).await;
    assert_eq!(stale.status(), reqwest::StatusCode::BAD_REQUEST);
    let other = post(sandbox.sign(Utc::now(), &body), body.clone(), app.url("/webhooks/payments/stripe")).await;
    assert_eq!(other.status(), reqwest::StatusCode::NOT_FOUND);
    assert_eq!(
        scalar(&app.services.pool, "select count(*) from payment_webhooks").await,
        0,
        "refused ones leave no trace"
    );

    let signature = sandbox.sign(Utc::now(), &body);
    let first = post(signature.clone(), body.clone(), url.clone()).await;
    assert_eq!(first.status(), reqwest::StatusCode::OK);
    assert_eq!(first.json::<serde_json::Value>().await.expect("json")["received"], "ignored");
    let replay = post(signature, body, url).await;
    assert_eq!(replay.json::<serde_json::Value>().await.expect("json")["received"], "duplicate");
}

#[tokio::test]
async fn saved_addresses_are_checked_kept_once_and_private() {
    let services = services().await;
    let pool = &services.pool;
    use domain::commerce::addresses;
    let (owner, other) = (customer(pool, 1).await, customer(pool, 2).await);
    let bad = ShipTo { country: "Germany".into(), phone: "12".into(), ..ShipTo::default() };
    let Err(Error::Validation(fields)) = addresses::save(pool, owner, &bad).await else { panic!("refused") };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["full_name", "line1", "city", "postal_code", "country", "phone"]);

    let first = addresses::save(pool, owner, &ship_to()).await.expect("saved");
    let again = addresses::save(pool, owner, &ship_to()).await.expect("saved again");
    assert_eq!(first, again, "the same address is kept once");
    assert_eq!(addresses::list(pool, owner).await.expect("list").len(), 1);
    assert!(addresses::list(pool, other).await.expect("list").is_empty());
    assert!(matches!(addresses::get(pool, other, first).await, Err(Error::NotFound)));
    assert!(matches!(addresses::delete(pool, other, first).await, Err(Error::NotFound)));
    for n in 1..addresses::MAX_ADDRESSES {
        let a = ShipTo { line1: format!("{n} Hangar Lane"), ..ship_to() };
        addresses::save(pool, owner, &a).await.expect("room for more");
    }
    let one_too_many = ShipTo { line1: "99 Full Street".into(), ..ship_to() };
    assert!(matches!(addresses::save(pool, owner, &one_too_many).await, Err(Error::Validation(_))));
    assert_eq!(addresses::save(pool, owner, &ship_to()).await.expect("known"), first, "a known one still resolves");
    addresses::delete(pool, owner, first).await.expect("deleted");
    assert_eq!(addresses::list(pool, owner).await.expect("list").len() as i64, addresses::MAX_ADDRESSES - 1);
}

#[tokio::test]
async fn checkout_takes_what_is_left_as_the_cart_said_and_leaves_the_rest() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 3), (items[1].0, 1)]).await;
    // Meanwhile others bought: two left of the first, none of the second.
    sqlx::query("update products set stock_on_hand = case when id = $1 then 2 else 0 end where id in ($1, $2)")
        .bind(items[0].0.0)
        .bind(items[1].0.0)
        .execute(pool)
        .await
        .expect("others bought");
    let outcome = place(&services, buyer, GOOD).await.expect("placed");
    let order = read::order(pool, &order_number(&outcome), Reader::Customer(buyer)).await.expect("order");
    let bought: Vec<(String, i32)> =
        order.sub_orders.iter().flat_map(|s| s.lines.iter().map(|l| (l.slug.clone(), l.quantity))).collect();
    assert_eq!(bought.len(), 1, "the sold-out line stays in the cart: {bought:?}");
    assert_eq!(bought[0].1, 2, "two, as the cart said");
    assert_eq!(stock(pool, items[0].0).await, (0, 0));
    let cart = cart::view(pool, CartOwner::User(buyer)).await.expect("cart");
    assert_eq!(cart.lines().map(|l| l.product).collect::<Vec<_>>(), [items[1].0]);

    // What the customer reviewed no longer holds (fewer left since): sold out, not bought.
    let late = customer(pool, 2).await;
    sqlx::query("update products set stock_on_hand = 3 where id = $1")
        .bind(items[0].0.0)
        .execute(pool)
        .await
        .expect("restock");
    fill(&services, late, &[(items[0].0, 3)]).await;
    let form = order_form(&services, late, GOOD).await;
    sqlx::query("update products set stock_on_hand = 1 where id = $1")
        .bind(items[0].0.0)
        .execute(pool)
        .await
        .expect("sold");
    let refused = checkout::place(&services, late, form, &RequestMeta::default()).await;
    assert!(matches!(refused, Err(Error::Conflict(ErrorCode::SoldOut))), "{refused:?}");
    assert_consistent(&services).await;
}
