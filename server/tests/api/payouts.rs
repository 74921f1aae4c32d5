//! Payouts and revenue: a creator is paid out what delivery and the hold made
//! available, never more (not even with two requests at once); admins approve,
//! reject and mark paid; every step keeps the books balanced.

use domain::{
    Error, RequestMeta,
    commerce::orders::{
        fulfil,
        read::{self, Reader},
    },
    ledger::{
        payouts::{self, Decision, MINIMUM_PAYOUT_MINOR},
        revenue,
    },
};
use types::{ErrorCode, ids::UserId, money::PayoutStatus};

use crate::{
    checkout::{GOOD, assert_consistent, customer, fill, order_number, place, products, scalar},
    helpers::services,
};

#[tokio::test]
async fn a_maker_is_paid_out_what_is_available_and_never_more() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[20]).await;
    let maker = UserId(
        sqlx::query_scalar("select user_id from creators where id = $1")
            .bind(items[0].1.0)
            .fetch_one(pool)
            .await
            .expect("maker"),
    );
    let admin = customer(pool, 0).await;
    let buyer = customer(pool, 1).await;
    fill(&services, buyer, &[(items[0].0, 3)]).await;
    let number = order_number(&place(&services, buyer, GOOD).await.expect("placed"));
    let sub = read::order(pool, &number, Reader::Admin(types::UserId(uuid::Uuid::nil())))
        .await
        .expect("order")
        .sub_orders
        .remove(0);
    let meta = RequestMeta::default();

    let nothing_yet = payouts::request(pool, maker, MINIMUM_PAYOUT_MINOR, &meta).await;
    assert!(
        matches!(&nothing_yet, Err(Error::Validation(f)) if f[0].field == "amount"),
        "pending money is not paid out"
    );
    fulfil::ship(&services, maker, &sub.number, "DHL", "JD1", &meta).await.expect("ship");
    fulfil::deliver(&services, maker, &sub.number, &meta).await.expect("deliver");
    sqlx::query("update sub_order_history set at = now() - interval '8 days' where status = 'delivered'")
        .execute(pool)
        .await
        .expect("hold passes");
    fulfil::release_due(&services).await.expect("release");
    let net = sub.subtotal.minor - sub.commission.expect("admin sees commission").minor;
    let balances = payouts::balances(pool, maker).await.expect("balances");
    assert_eq!((balances.pending.minor, balances.available.minor), (0, net));

    let below = payouts::request(pool, maker, MINIMUM_PAYOUT_MINOR - 1, &meta).await;
    assert!(
        matches!(&below, Err(Error::Validation(f)) if f[0].code == ErrorCode::BelowMinimumPayout),
        "a minimum applies"
    );
    let above = payouts::request(pool, maker, net + 1, &meta).await;
    assert!(
        matches!(&above, Err(Error::Validation(f)) if f[0].code == ErrorCode::ExceedsAvailable),
        "not more than available"
    );
    assert!(matches!(payouts::request(pool, buyer, MINIMUM_PAYOUT_MINOR, &meta).await, Err(Error::Forbidden)));

    // Two requests at once, each for most of the balance: one goes through.
    let most = net * 3 / 5;
    assert!(most >= MINIMUM_PAYOUT_MINOR, "the test drone sells for enough");
    let (a, b) = tokio::join!(payouts::request(pool, maker, most, &meta), payouts::request(pool, maker, most, &meta));
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let first = a.or(b).expect("one request");
    let balances = payouts::balances(pool, maker).await.expect("balances");
    assert_eq!((balances.available.minor, balances.in_payout.minor), (net - most, most));

    let no_reason = payouts::decide(pool, admin, first, Decision::Reject { reason: " ".into() }, &meta).await;
    assert!(matches!(no_reason, Err(Error::Validation(_))));
    payouts::decide(pool, admin, first, Decision::Reject { reason: "bank details missing".into() }, &meta)
        .await
        .expect("rejected");
    assert_eq!(payouts::balances(pool, maker).await.expect("b").available.minor, net, "back to available");
    let early = payouts::decide(pool, admin, first, Decision::Paid { reference: "X".into() }, &meta).await;
    assert!(matches!(early, Err(Error::Conflict(ErrorCode::PayoutStatusConflict))));

    let second = payouts::request(pool, maker, net, &meta).await.expect("all of it");
    let not_approved = payouts::decide(pool, admin, second, Decision::Paid { reference: "X".into() }, &meta).await;
    assert!(matches!(not_approved, Err(Error::Conflict(_))), "paid only once approved");
    payouts::decide(pool, admin, second, Decision::Approve, &meta).await.expect("approved");
    payouts::decide(pool, admin, second, Decision::Paid { reference: "SEPA-2026-11-27-001".into() }, &meta)
        .await
        .expect("paid");
    let balances = payouts::balances(pool, maker).await.expect("balances");
    assert_eq!((balances.pending.minor, balances.available.minor, balances.in_payout.minor), (0, 0, 0));
    let history = payouts::list(pool, Some(maker), maker).await.expect("history");
    let statuses: Vec<_> = history.iter().map(|p| p.status).collect();
    assert!(statuses.contains(&PayoutStatus::Paid) && statuses.contains(&PayoutStatus::Rejected));
    assert_eq!(
        history.iter().find(|p| p.status == PayoutStatus::Paid).and_then(|p| p.reference.as_deref()),
        Some("SEPA-2026-11-27-001")
    );
    assert!(payouts::list(pool, Some(buyer), buyer).await.expect("none").is_empty(), "only one's own payouts");
    assert_eq!(scalar(pool, "select count(*) from outbox_events where event_type = 'payout.processed'").await, 5);
    // The maker hears of each decision, in the app and by mail; not of their own requests.
    while domain::events::dispatcher::run_once(&services).await.expect("dispatch") > 0 {}
    let told: Vec<String> = sqlx::query_scalar(
        "select kind from notifications where user_id = $1 and kind like 'payout%' order by created_at",
    )
    .bind(maker.0)
    .fetch_all(pool)
    .await
    .expect("notices");
    assert_eq!(told, ["payout_rejected", "payout_approved", "payout_paid"]);
    let mails: Vec<(String, String)> = sqlx::query_as(
        "select subject, body_text from outgoing_mail m join users u on u.email = m.to_address
         where u.id = $1 and subject like '%Payout%' order by m.created_at",
    )
    .bind(maker.0)
    .fetch_all(pool)
    .await
    .expect("mails");
    let subjects: Vec<&str> = mails.iter().map(|(s, _)| s.trim_start_matches("[TEST] ")).collect();
    assert_eq!(subjects, ["Payout not approved", "Payout approved", "Payout sent"]);
    assert!(mails[0].1.contains("bank details missing"), "the reason: {}", mails[0].1);

    let months = revenue::by_month(pool, maker, 12).await.expect("revenue");
    assert_eq!(months.len(), 1);
    assert_eq!(months[0].gross.minor, sub.subtotal.minor);
    assert_eq!(months[0].net.minor, net);
    assert_consistent(&services).await;
}
