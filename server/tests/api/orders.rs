//! After checkout: creators ship and deliver their own sub-orders, customers cancel
//! before shipment, admins refund (never more than was paid), money is released
//! after delivery and the hold — and through any sequence of these the books balance
//! and every balance equals what the orders and refunds say it should.

use domain::{
    Error, RequestMeta, Services,
    commerce::orders::{
        fulfil::{self, RefundBy},
        read::{self, OrderFilter, Reader},
    },
    ledger::{self, commission},
};
use sqlx::PgPool;
use types::TextEnum;
use types::{
    ErrorCode,
    ids::{CreatorId, UserId},
    orders::SubOrderStatus,
};

use crate::{
    checkout::{GOOD, assert_consistent, customer, fill, order_number, place, products, scalar, stock},
    helpers::services,
};

pub(crate) async fn maker_user(pool: &PgPool, creator: CreatorId) -> UserId {
    UserId(
        sqlx::query_scalar("select user_id from creators where id = $1")
            .bind(creator.0)
            .fetch_one(pool)
            .await
            .expect("maker"),
    )
}

async fn status(pool: &PgPool, number: &str) -> SubOrderStatus {
    let s: String = sqlx::query_scalar("select status from sub_orders where number = $1")
        .bind(number)
        .fetch_one(pool)
        .await
        .expect("status");
    SubOrderStatus::parse(&s).expect("known status")
}

#[tokio::test]
async fn a_maker_ships_and_delivers_only_their_own_sub_orders_and_is_paid_after_the_hold() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 1), (items[1].0, 1)]).await;
    let number = order_number(&place(&services, buyer, GOOD).await.expect("placed"));
    let order = read::order(pool, &number, Reader::Admin(types::UserId(uuid::Uuid::nil()))).await.expect("order");
    let mine = &order.sub_orders[0];
    let maker = maker_user(pool, items[0].1).await;
    let other_maker = maker_user(pool, items[1].1).await;
    let meta = RequestMeta::default();

    assert!(matches!(
        fulfil::ship(&services, other_maker, &mine.number, "DHL", "JD0123", &meta).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(read::creator_order(pool, other_maker, &mine.number).await, Err(Error::NotFound)));
    let bad = fulfil::ship(&services, maker, &mine.number, " ", "<script>", &meta).await;
    assert!(matches!(&bad, Err(Error::Validation(f)) if f.len() == 2), "{bad:?}");
    assert!(
        matches!(
            fulfil::deliver(&services, maker, &mine.number, &meta).await,
            Err(Error::Conflict(ErrorCode::OrderStatusConflict))
        ),
        "nothing is delivered before it ships"
    );
    fulfil::ship(&services, maker, &mine.number, "DHL", "JD0123", &meta).await.expect("shipped");
    // The customer hears of each step by mail (through the outbox).
    while domain::events::dispatcher::run_once(&services).await.expect("dispatch") > 0 {}
    let mails: Vec<(String, String)> = sqlx::query_as(
        "select subject, body_text from outgoing_mail m join users u on u.email = m.to_address
         where u.id = $1 order by m.created_at",
    )
    .bind(buyer.0)
    .fetch_all(pool)
    .await
    .expect("mails");
    let subjects: Vec<&str> = mails.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(subjects, [format!("[TEST] Order {number} confirmed"), format!("[TEST] Order {number} shipped")]);
    assert!(mails[1].1.contains("JD0123") && mails[1].1.contains(&format!("/orders/{number}")), "{}", mails[1].1);
    let seen = read::creator_order(pool, maker, &mine.number).await.expect("maker's view");
    assert_eq!(seen.sub_order.tracking_number.as_deref(), Some("JD0123"));
    assert!(seen.sub_order.commission.is_some(), "the maker sees the commission");
    assert_eq!(read::for_creator(pool, maker).await.expect("list").len(), 1, "only their own sub-order");
    assert!(
        matches!(
            fulfil::cancel(&services, buyer, &mine.number, &meta).await,
            Err(Error::Conflict(ErrorCode::OrderStatusConflict))
        ),
        "shipped goods are not cancelled"
    );
    fulfil::deliver(&services, maker, &mine.number, &meta).await.expect("delivered");
    let customer_view = read::order(pool, &number, Reader::Customer(buyer)).await.expect("order");
    let timeline: Vec<_> = customer_view.sub_orders[0].timeline.iter().map(|t| t.status).collect();
    assert_eq!(
        timeline,
        [SubOrderStatus::PendingPayment, SubOrderStatus::Paid, SubOrderStatus::Shipped, SubOrderStatus::Delivered]
    );
    assert_eq!(customer_view.sub_orders[1].status, SubOrderStatus::Paid, "the other maker's part is untouched");

    // Pending through the hold (7 days by default), then available.
    let mut conn = pool.acquire().await.expect("conn");
    let net = mine.subtotal.minor - (mine.subtotal.minor * 1_000 + 5_000) / 10_000;
    assert_eq!(ledger::creator_balances(&mut conn, items[0].1, "USD").await.expect("b").pending, net);
    assert_eq!(fulfil::release_due(&services).await.expect("release"), 0);
    sqlx::query("update sub_order_history set at = now() - interval '8 days' where status = 'delivered'")
        .execute(pool)
        .await
        .expect("time passes");
    assert_eq!(fulfil::release_due(&services).await.expect("release"), 1);
    assert_eq!(fulfil::release_due(&services).await.expect("release"), 0, "released once");
    let balances = ledger::creator_balances(&mut conn, items[0].1, "USD").await.expect("b");
    assert_eq!((balances.pending, balances.available), (0, net));
    assert_consistent(&services).await;
}

#[tokio::test]
async fn a_customer_cancels_before_shipment_and_gets_everything_back() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[3]).await;
    let buyer = customer(pool, 1).await;
    let stranger = customer(pool, 2).await;
    fill(&services, buyer, &[(items[0].0, 2)]).await;
    let number = order_number(&place(&services, buyer, GOOD).await.expect("placed"));
    let sub = format!("{number}-1");
    let meta = RequestMeta::default();
    assert!(matches!(fulfil::cancel(&services, stranger, &sub, &meta).await, Err(Error::NotFound)));
    assert_eq!(stock(pool, items[0].0).await, (1, 0));

    fulfil::cancel(&services, buyer, &sub, &meta).await.expect("cancelled");
    assert_eq!(status(pool, &sub).await, SubOrderStatus::Cancelled);
    assert_eq!(stock(pool, items[0].0).await, (3, 0), "the stock is back");
    let order = read::order(pool, &number, Reader::Customer(buyer)).await.expect("order");
    assert_eq!(order.sub_orders[0].refunded.minor, order.total.minor, "everything refunded");
    assert_eq!(scalar(pool, "select refunded_minor from sandbox_payments").await, order.total.minor);
    let mut conn = pool.acquire().await.expect("conn");
    let balances = ledger::creator_balances(&mut conn, items[0].1, "USD").await.expect("b");
    assert_eq!((balances.pending, balances.available), (0, 0));
    assert_eq!(
        scalar(pool, "select coalesce(sum(amount_minor), 0)::int8 from ledger_entries where account = 'commission'")
            .await,
        0
    );
    assert!(
        matches!(
            fulfil::cancel(&services, buyer, &sub, &meta).await,
            Err(Error::Conflict(ErrorCode::OrderStatusConflict))
        ),
        "cancelled once"
    );
    assert_consistent(&services).await;
}

#[tokio::test]
async fn partial_refunds_add_up_and_never_exceed_what_was_paid() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5]).await;
    let buyer = customer(pool, 1).await;
    let admin = customer(pool, 2).await;
    fill(&services, buyer, &[(items[0].0, 3)]).await;
    let number = order_number(&place(&services, buyer, GOOD).await.expect("placed"));
    let sub = format!("{number}-1");
    let paid =
        read::order(pool, &number, Reader::Admin(types::UserId(uuid::Uuid::nil()))).await.expect("order").sub_orders[0]
            .subtotal
            .minor;
    let meta = RequestMeta::default();
    let by = RefundBy::Admin(admin);

    let part = paid / 3;
    fulfil::refund(&services, &sub, Some(part), "scratched arm", by, &meta).await.expect("first part");
    assert_eq!(status(pool, &sub).await, SubOrderStatus::PartiallyRefunded);
    fulfil::refund(&services, &sub, Some(part), "late", by, &meta).await.expect("second part");
    let too_much = fulfil::refund(&services, &sub, Some(paid - 2 * part + 1), "more", by, &meta).await;
    assert!(matches!(&too_much, Err(Error::Validation(f)) if f[0].code == ErrorCode::RefundTooLarge), "{too_much:?}");
    let no_reason = fulfil::refund(&services, &sub, Some(1), "  ", by, &meta).await;
    assert!(matches!(no_reason, Err(Error::Validation(_))));
    fulfil::refund(&services, &sub, None, "the rest", by, &meta).await.expect("the rest");
    assert_eq!(status(pool, &sub).await, SubOrderStatus::Refunded);
    // Admins find it by number, customer email, status and date; not by the wrong ones.
    let found = |filter: OrderFilter| async move { read::search(pool, &filter).await.expect("search").len() };
    assert_eq!(found(OrderFilter { number: sub.clone(), ..Default::default() }).await, 1);
    assert_eq!(found(OrderFilter { email: "BUYER1-".into(), ..Default::default() }).await, 1);
    assert_eq!(found(OrderFilter { status: Some(SubOrderStatus::Refunded), ..Default::default() }).await, 1);
    assert_eq!(found(OrderFilter { status: Some(SubOrderStatus::Shipped), ..Default::default() }).await, 0);
    let today = chrono::Utc::now().date_naive();
    assert_eq!(found(OrderFilter { from: Some(today), to: Some(today), ..Default::default() }).await, 1);
    assert_eq!(found(OrderFilter { from: today.succ_opt(), ..Default::default() }).await, 0);
    assert_eq!(found(OrderFilter { email: "%".into(), ..Default::default() }).await, 0, "wildcards are literal");
    assert_eq!(scalar(pool, "select sum(amount_minor)::int8 from refunds").await, paid);
    let none_left = fulfil::refund(&services, &sub, Some(1), "again", by, &meta).await;
    assert!(matches!(none_left, Err(Error::Conflict(ErrorCode::OrderStatusConflict))));
    assert_eq!(
        scalar(pool, "select coalesce(sum(amount_minor), 0)::int8 from ledger_entries where account = 'commission'")
            .await,
        0,
        "refunds adding up to the whole give back the whole commission"
    );
    assert_consistent(&services).await;
}

/// A small deterministic generator, so a failing sequence can be replayed by seed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[tokio::test]
async fn through_random_orders_refunds_and_deliveries_the_books_balance_and_balances_match_the_orders() {
    let services: Services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[900, 900, 900]).await;
    let admin = customer(pool, 0).await;
    let meta = RequestMeta::default();
    for seed in [7_u64, 1_234_567, 99_991] {
        let mut dice = Dice(seed);
        let mut subs: Vec<String> = Vec::new();
        for step in 0..25 {
            match dice.roll(4) {
                0 | 1 => {
                    let buyer = customer(pool, (seed as usize) * 100 + step).await;
                    let lines: Vec<_> =
                        (0..=dice.roll(3)).map(|i| (items[i as usize].0, 1 + dice.roll(3) as i32)).collect();
                    fill(&services, buyer, &lines).await;
                    if let Ok(outcome) = place(&services, buyer, GOOD).await {
                        let number = order_number(&outcome);
                        let order = read::order(pool, &number, Reader::Admin(types::UserId(uuid::Uuid::nil())))
                            .await
                            .expect("order");
                        subs.extend(order.sub_orders.into_iter().map(|s| s.number));
                    }
                }
                2 if !subs.is_empty() => {
                    let number = &subs[dice.roll(subs.len() as u64) as usize];
                    let amount = 1 + dice.roll(20_000) as i64;
                    // Refused when more than is left or nothing is: the books must not move then.
                    let _ =
                        fulfil::refund(&services, number, Some(amount), "random", RefundBy::Admin(admin), &meta).await;
                }
                _ if !subs.is_empty() => {
                    let number = &subs[dice.roll(subs.len() as u64) as usize];
                    let maker: uuid::Uuid = sqlx::query_scalar(
                        "select c.user_id from sub_orders s join creators c on c.id = s.creator_id where s.number = $1",
                    )
                    .bind(number)
                    .fetch_one(pool)
                    .await
                    .expect("maker");
                    let maker = UserId(maker);
                    let _ = fulfil::ship(&services, maker, number, "UPS", "1Z999", &meta).await;
                    let _ = fulfil::deliver(&services, maker, number, &meta).await;
                    sqlx::query(
                        "update sub_order_history set at = now() - interval '30 days' where status = 'delivered'",
                    )
                    .execute(pool)
                    .await
                    .expect("time passes");
                    fulfil::release_due(&services).await.expect("release");
                }
                _ => {}
            }
        }
        assert_consistent(&services).await;
        // Independently of the ledger: what each maker is owed is what they sold less
        // commission, less what was refunded net of the commission given back.
        let rows: Vec<(uuid::Uuid, i64, i64, i64)> = sqlx::query_as(
            "select s.creator_id, s.subtotal_minor, s.commission_minor,
                    (select coalesce(sum(r.amount_minor), 0) from refunds r where r.sub_order_id = s.id)::int8
             from sub_orders s where s.status <> 'cancelled' or exists (select 1 from refunds r where r.sub_order_id = s.id)",
        )
        .fetch_all(pool)
        .await
        .expect("sub-orders");
        let mut conn = pool.acquire().await.expect("conn");
        let mut commission_expected = 0;
        for (_, creator) in &items {
            let expected: i64 = rows
                .iter()
                .filter(|r| r.0 == creator.0)
                .map(|(_, subtotal, c, refunded)| {
                    subtotal - c - (refunded - commission::on_refund(*c, *subtotal, 0, *refunded))
                })
                .sum();
            let b = ledger::creator_balances(&mut conn, *creator, "USD").await.expect("balances");
            assert_eq!(b.pending + b.available, expected, "seed {seed}: maker {creator:?}");
        }
        for (_, subtotal, c, refunded) in &rows {
            commission_expected += c - commission::on_refund(*c, *subtotal, 0, *refunded);
        }
        let commission_booked = -scalar(
            pool,
            "select coalesce(sum(amount_minor), 0)::int8 from ledger_entries where account = 'commission'",
        )
        .await;
        assert_eq!(commission_booked, commission_expected, "seed {seed}: platform commission");
    }
    // The sequences did exercise every path.
    assert!(scalar(pool, "select count(*) from refunds").await > 0);
    assert!(scalar(pool, "select count(*) from ledger_transactions where kind = 'release'").await > 0);
}
