//! The checkout state machine. Each move is a compare-and-set on `checkouts.state`
//! (so two workers never both take a step) with its row in `checkout_steps`; a
//! provider call is recorded as begun before it is made and repeated with the same
//! idempotency key when its outcome is unknown.
//!
//! ```text
//! reserved ─▶ authorizing ─▶ authorized ─▶ capturing ─▶ completed
//!                  │  └──▶ awaiting_confirmation ─┘ (webhook)
//!                  └──────────────┴──────────────▶ compensating ─▶ failed
//! ```
//!
//! Steps that need no outside call share a transaction with the step before them
//! (each commit waits for a disk flush): a checkout is reserved and authorizing in
//! one commit, authorized and capturing in the next.

use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use types::TextEnum;
use types::{
    ErrorCode,
    checkout::CheckoutState,
    ids::{CheckoutId, OrderGroupId, ProductId, SubOrderId, UserId},
    orders::SubOrderStatus,
};

use crate::{
    Error, Result, Services,
    catalog::listing::product_event,
    commerce::{
        cart,
        orders::{self},
        payments::{Authorization, AuthorizeRequest, CardDetails, ProviderError},
    },
    events::{self, EventMetadata, EventType, NewEvent},
    ledger::{self, Account, Kind, Posting},
};

/// How long a worker owns a checkout before another may take it over.
pub const LEASE_SECS: f64 = 30.0;
/// How long stock stays reserved for a checkout that has not paid.
pub const RESERVATION_MINUTES: i32 = 15;

/// A checkout as the saga reads it.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub id: CheckoutId,
    pub user: UserId,
    pub state: CheckoutState,
    pub failure: Option<ErrorCode>,
    pub currency: String,
    pub total_minor: i64,
    pub group: OrderGroupId,
    pub order_number: String,
    pub payment_reference: Option<String>,
}

fn code_str(code: ErrorCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse_code(s: &str) -> Option<ErrorCode> {
    serde_json::from_value(Value::String(s.to_owned())).ok()
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn load(pool: &PgPool, id: CheckoutId) -> Result<Checkout> {
    let r = sqlx::query!(
        r#"select c.user_id, c.state, c.failure, c.currency, c.total_minor, g.id as group_id, g.number,
                  p.reference as "reference?"
           from checkouts c
           join order_groups g on g.checkout_id = c.id
           left join payments p on p.checkout_id = c.id
           where c.id = $1"#,
        id.0
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Checkout {
        id,
        user: UserId(r.user_id),
        state: CheckoutState::parse(&r.state).ok_or_else(|| anyhow::anyhow!("unknown checkout state {}", r.state))?,
        failure: r.failure.as_deref().and_then(parse_code),
        currency: r.currency,
        total_minor: r.total_minor,
        group: OrderGroupId(r.group_id),
        order_number: r.number,
        payment_reference: r.reference,
    })
}

/// Appends a step to the checkout's record.
pub(super) async fn record_step(
    conn: &mut PgConnection,
    id: CheckoutId,
    state: CheckoutState,
    detail: Value,
) -> Result<()> {
    sqlx::query!(
        "insert into checkout_steps (checkout_id, seq, state, detail)
         values ($1, (select coalesce(max(seq), 0) + 1 from checkout_steps where checkout_id = $1), $2, $3)",
        id.0,
        state.as_str(),
        detail
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves `from` → `to` if the checkout is still at `from` (renewing the lease) and
/// records the step. `false` when someone else moved it first.
pub(super) async fn transition(
    conn: &mut PgConnection,
    id: CheckoutId,
    from: CheckoutState,
    to: CheckoutState,
    failure: Option<ErrorCode>,
    detail: Value,
) -> Result<bool> {
    let moved = sqlx::query!(
        "update checkouts set state = $3, failure = coalesce($4, failure), updated_at = now(),
                              lease_until = now() + make_interval(secs => $5)
         where id = $1 and state = $2",
        id.0,
        from.as_str(),
        to.as_str(),
        failure.map(code_str),
        LEASE_SECS
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if moved {
        record_step(conn, id, to, detail).await?;
        // Counted as written: a transaction rolled back after this counts one extra.
        let outcome = match (to, failure) {
            (CheckoutState::Completed, _) => Some("paid"),
            (CheckoutState::Compensating, Some(ErrorCode::CardDeclined)) => Some("declined"),
            (CheckoutState::Compensating, _) => Some("compensated"),
            _ => None,
        };
        if let Some(outcome) = outcome {
            metrics::counter!("checkout_outcomes_total", "outcome" => outcome).increment(1);
        }
    }
    Ok(moved)
}

impl Checkout {
    /// The checkout as it is once moved to `to`.
    fn moved(&mut self, to: CheckoutState, failure: Option<ErrorCode>) {
        self.state = to;
        self.failure = failure.or(self.failure);
    }
}

/// Takes one step; `false` when someone else moved the checkout first.
#[tracing::instrument(skip_all, fields(checkout = %c.id, from = ?c.state, to = ?to))]
async fn step(pool: &PgPool, c: &mut Checkout, to: CheckoutState, failure: Option<ErrorCode>) -> Result<bool> {
    let mut conn = pool.acquire().await?;
    let moved = transition(&mut conn, c.id, c.state, to, failure, json!({})).await?;
    if moved {
        c.moved(to, failure);
    }
    Ok(moved)
}

/// The idempotency key of one provider call (`authorize`, `capture`, `void`) of one
/// checkout: the same call of the same checkout always sends the same key.
pub fn key(id: CheckoutId, call: &str) -> String {
    format!("checkout-{}-{call}", id.0.simple())
}

/// Records the provider's payment and moves the checkout on, in one transaction:
/// an approved authorization straight on to capturing, a pending one to wait for
/// its confirmation.
#[tracing::instrument(skip_all, fields(checkout = %c.id, approved = approved))]
async fn payment_known(
    pool: &PgPool,
    c: &mut Checkout,
    provider: &str,
    reference: &str,
    approved: bool,
) -> Result<bool> {
    let (status, to) = if approved {
        ("authorized", CheckoutState::Capturing)
    } else {
        ("pending", CheckoutState::AwaitingConfirmation)
    };
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into payments (id, checkout_id, provider, reference, status, amount_minor, currency)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (checkout_id) do update set reference = excluded.reference, status = excluded.status,
                                                updated_at = now()",
        uuid::Uuid::new_v4(),
        c.id.0,
        provider,
        reference,
        status,
        c.total_minor,
        c.currency
    )
    .execute(&mut *tx)
    .await?;
    let detail = json!({ "reference": reference });
    if approved {
        record_step(&mut tx, c.id, CheckoutState::Authorized, detail.clone()).await?;
    }
    if !transition(&mut tx, c.id, c.state, to, None, detail).await? {
        return Ok(false);
    }
    tx.commit().await?;
    c.moved(to, None);
    c.payment_reference = Some(reference.to_owned());
    Ok(true)
}

/// Runs the checkout as far as it can go now. `card` is present only in the request
/// that placed it; a resumed checkout has none (card details are never stored) and
/// asks the provider what became of the authorization instead. The checkout is read
/// once and carried along; it is read again only when someone else moved it.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn run(services: &Services, id: CheckoutId, card: Option<&CardDetails>) -> Result<()> {
    let (pool, provider) = (&services.pool, &services.payments);
    let mut c = load(pool, id).await?;
    // Each pass takes one step; a checkout has at most six.
    for _ in 0..12 {
        let moved = match c.state {
            // Left reserved by an older version before asking for payment: the
            // request that placed it is gone, so the stock goes back.
            CheckoutState::Reserved => {
                step(pool, &mut c, CheckoutState::Compensating, Some(ErrorCode::PaymentUnavailable)).await?
            }
            CheckoutState::Authorizing => {
                let auth_key = key(id, "authorize");
                let answer = match card {
                    Some(card) => provider
                        .authorize(AuthorizeRequest {
                            amount_minor: c.total_minor,
                            currency: &c.currency,
                            card,
                            idempotency_key: &auth_key,
                        })
                        .await
                        .map(Some),
                    None => provider.find_authorization(&auth_key).await,
                };
                let name = provider.name();
                match answer {
                    Ok(Some(Authorization::Approved { reference })) => {
                        payment_known(pool, &mut c, name, &reference, true).await?
                    }
                    Ok(Some(Authorization::Pending { reference })) => {
                        payment_known(pool, &mut c, name, &reference, false).await?
                    }
                    Ok(Some(Authorization::Declined)) | Err(ProviderError::Refused(_)) => {
                        step(pool, &mut c, CheckoutState::Compensating, Some(ErrorCode::CardDeclined)).await?
                    }
                    // Never reached the provider, or it did not answer: compensation
                    // asks again and voids whatever it finds.
                    Ok(None) | Err(ProviderError::Unavailable) => {
                        step(pool, &mut c, CheckoutState::Compensating, Some(ErrorCode::PaymentUnavailable)).await?
                    }
                }
            }
            CheckoutState::AwaitingConfirmation | CheckoutState::Completed | CheckoutState::Failed => return Ok(()),
            // Confirmed by a webhook.
            CheckoutState::Authorized => step(pool, &mut c, CheckoutState::Capturing, None).await?,
            CheckoutState::Capturing => {
                let reference =
                    c.payment_reference.clone().ok_or_else(|| anyhow::anyhow!("capturing without a payment"))?;
                match provider.capture(&reference, c.total_minor, &key(id, "capture")).await {
                    Ok(()) => return confirm(services, &c).await,
                    Err(ProviderError::Refused(why)) => {
                        tracing::warn!(checkout = %id, why, "capture refused");
                        step(pool, &mut c, CheckoutState::Compensating, Some(ErrorCode::CardDeclined)).await?
                    }
                    // Money is held and the key makes a retry safe: the recovery
                    // worker tries again once the lease runs out.
                    Err(ProviderError::Unavailable) => return Ok(()),
                }
            }
            // Done, or to be tried again by the recovery worker.
            CheckoutState::Compensating => return compensate(services, &c).await,
        };
        if !moved {
            c = load(pool, id).await?;
        }
    }
    Ok(())
}

/// Products and quantities the checkout holds.
async fn lines(conn: &mut PgConnection, id: CheckoutId) -> Result<Vec<(ProductId, i32)>> {
    Ok(sqlx::query!("select product_id, quantity from checkout_lines where checkout_id = $1 order by product_id", id.0)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (ProductId(r.product_id), r.quantity))
        .collect())
}

/// The payment was captured: commit the stock, mark the orders paid, book the sale
/// and clear the cart, all at once.
#[tracing::instrument(skip_all, fields(checkout = %c.id))]
async fn confirm(services: &Services, c: &Checkout) -> Result<()> {
    let metadata = EventMetadata { source: "checkout".into(), user_id: Some(c.user), ..Default::default() };
    let mut tx = services.pool.begin().await?;
    if !transition(&mut tx, c.id, CheckoutState::Capturing, CheckoutState::Completed, None, json!({})).await? {
        return Ok(());
    }
    sqlx::query!("update payments set status = 'captured', updated_at = now() where checkout_id = $1", c.id.0)
        .execute(&mut *tx)
        .await?;
    let held = lines(&mut tx, c.id).await?;
    for (product, quantity) in &held {
        sqlx::query!(
            "update products set stock_on_hand = stock_on_hand - $2, stock_reserved = stock_reserved - $2
             where id = $1",
            product.0,
            quantity
        )
        .execute(&mut *tx)
        .await?;
    }
    orders::change_group(
        &mut tx,
        c.group,
        SubOrderStatus::PendingPayment,
        SubOrderStatus::Paid,
        "",
        EventType::OrderPaid,
        &metadata,
    )
    .await?;
    let subs = sqlx::query!(
        "select id, creator_id, subtotal_minor, commission_minor from sub_orders where group_id = $1",
        c.group.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut posting = Posting::new(Kind::Payment, format!("payment:{}", c.id.0), &c.currency).entry(
        Account::Cash,
        c.total_minor,
        None,
    );
    posting.memo = format!("order {}", c.order_number);
    for s in &subs {
        let sub = Some(SubOrderId(s.id));
        posting = posting
            .entry(
                Account::CreatorPending(types::ids::CreatorId(s.creator_id)),
                -(s.subtotal_minor - s.commission_minor),
                sub,
            )
            .entry(Account::Commission, -s.commission_minor, sub);
    }
    ledger::post(&mut tx, posting).await?;
    payment_event(&mut tx, c, EventType::PaymentProcessed, json!({ "amount_minor": c.total_minor }), &metadata).await?;
    cart::checkout_ended(&mut tx, c.user, &held.iter().map(|(p, _)| *p).collect::<Vec<_>>()).await?;
    tx.commit().await?;
    Ok(())
}

/// Undoes a failed checkout: voids any authorization, then releases the stock and
/// cancels the orders in one transaction. When the provider cannot be reached to
/// void, nothing changes: the recovery worker tries again, and the stock stays held
/// until then so that nothing is sold twice while money may still be held.
#[tracing::instrument(skip_all, fields(checkout = %c.id))]
async fn compensate(services: &Services, c: &Checkout) -> Result<()> {
    let provider = &services.payments;
    let reference = match &c.payment_reference {
        Some(reference) => Some(reference.clone()),
        None => match provider.find_authorization(&key(c.id, "authorize")).await {
            Ok(Some(Authorization::Approved { reference } | Authorization::Pending { reference })) => Some(reference),
            Ok(Some(Authorization::Declined) | None) => None,
            Err(_) => return Ok(()),
        },
    };
    if let Some(reference) = &reference {
        match provider.void(reference, &key(c.id, "void")).await {
            Ok(()) => {}
            Err(ProviderError::Unavailable) => return Ok(()),
            Err(ProviderError::Refused(why)) => tracing::error!(checkout = %c.id, why, "void refused"),
        }
    }
    let reason = c.failure.unwrap_or(ErrorCode::Internal);
    let metadata = EventMetadata { source: "checkout".into(), user_id: Some(c.user), ..Default::default() };
    let mut tx = services.pool.begin().await?;
    if !transition(
        &mut tx,
        c.id,
        CheckoutState::Compensating,
        CheckoutState::Failed,
        None,
        json!({ "voided": reference }),
    )
    .await?
    {
        return Ok(());
    }
    for (product, quantity) in lines(&mut tx, c.id).await? {
        let version = sqlx::query_scalar!(
            "update products set stock_reserved = stock_reserved - $2, version = version + 1, updated_at = now()
             where id = $1 returning version",
            product.0,
            quantity
        )
        .fetch_one(&mut *tx)
        .await?;
        events::publish(
            &mut tx,
            product_event(EventType::ProductUpdated, product, version, json!({ "stock_released": quantity })),
            &metadata,
        )
        .await?;
    }
    let payment = sqlx::query!(
        "update payments set status = case when $2 then 'voided' else 'failed' end, updated_at = now()
         where checkout_id = $1 returning id",
        c.id.0,
        reference.is_some()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let note = code_str(reason);
    orders::change_group(
        &mut tx,
        c.group,
        SubOrderStatus::PendingPayment,
        SubOrderStatus::Cancelled,
        &note,
        EventType::OrderCancelled,
        &metadata,
    )
    .await?;
    if payment.is_some() || reason == ErrorCode::CardDeclined {
        payment_event(&mut tx, c, EventType::PaymentFailed, json!({ "reason": note }), &metadata).await?;
    }
    cart::checkout_ended(&mut tx, c.user, &[]).await?;
    tx.commit().await?;
    Ok(())
}

async fn payment_event(
    conn: &mut PgConnection,
    c: &Checkout,
    event_type: EventType,
    mut data: Value,
    metadata: &EventMetadata,
) -> Result<()> {
    data["order"] = json!(c.order_number);
    data["currency"] = json!(c.currency);
    events::publish(
        conn,
        NewEvent { event_type, aggregate_type: "payment", aggregate_id: c.id.to_string(), aggregate_version: 1, data },
        metadata,
    )
    .await?;
    Ok(())
}
