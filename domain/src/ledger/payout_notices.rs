//! A maker hears when their payout is approved, rejected (with the reason) or paid,
//! and finance admins when one is requested, in the app and by mail as they chose.

use std::collections::BTreeMap;

use anyhow::Context;
use types::{Permission, TextEnum, UserId, catalog::Money, money::PayoutStatus, notifications::NotificationKind};

use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
    users::{
        notices::{self, Notice},
        roles,
    },
};

/// Where a maker reads their balances and payouts.
const MONEY_PATH: &str = "/creator/money";
/// Where finance admins decide payouts.
const PAYOUTS_PATH: &str = "/admin/payouts";

pub struct PayoutNotices;

#[async_trait::async_trait]
impl Handler for PayoutNotices {
    fn name(&self) -> &'static str {
        "payout_notices"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::PayoutProcessed]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let payout: uuid::Uuid = event.aggregate_id.parse().context("the event names no payout")?;
        let Some(status) = event.data["status"].as_str().and_then(PayoutStatus::parse) else { return Ok(()) };
        let kind = match status {
            PayoutStatus::Approved => NotificationKind::PayoutApproved,
            PayoutStatus::Rejected => NotificationKind::PayoutRejected,
            PayoutStatus::Paid => NotificationKind::PayoutPaid,
            // The maker asked for it themselves: those who decide it hear.
            PayoutStatus::Requested => return tell_finance(services, event, payout).await,
        };
        let Some(row) = sqlx::query!(
            "select c.user_id, p.amount_minor, p.currency, coalesce(p.reason, '') as \"reason!\"
             from payouts p join creators c on c.id = p.creator_id where p.id = $1",
            payout
        )
        .fetch_optional(&services.pool)
        .await?
        else {
            return Ok(());
        };
        let amount = Money::new(row.amount_minor, row.currency);
        let params = BTreeMap::from([
            ("amount".to_owned(), amount.minor.to_string()),
            ("currency".to_owned(), amount.currency.clone()),
            ("reason".to_owned(), row.reason.clone()),
        ]);
        let notice = Notice { user: UserId(row.user_id), kind, params, link: MONEY_PATH.to_owned() };
        notices::send(services, &format!("{}:maker", event.id), notice).await?;
        Ok(())
    }
}

/// Tells every finance admin (`finance.manage`) that a payout waits for them; the
/// maker who asked is not told of their own request.
async fn tell_finance(services: &Services, event: &StoredEvent, payout: uuid::Uuid) -> anyhow::Result<()> {
    let mut conn = services.pool.acquire().await?;
    let Some(row) = sqlx::query!(
        "select c.user_id, c.display_name, p.amount_minor, p.currency
         from payouts p join creators c on c.id = p.creator_id where p.id = $1",
        payout
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let deciders = roles::holders(&mut conn, Permission::ManageFinance).await?;
    drop(conn);
    let amount = Money::new(row.amount_minor, row.currency);
    let params = BTreeMap::from([
        ("amount".to_owned(), amount.minor.to_string()),
        ("currency".to_owned(), amount.currency.clone()),
        ("maker".to_owned(), row.display_name.clone()),
    ]);
    for admin in deciders.into_iter().filter(|a| a.0 != row.user_id) {
        let notice = Notice {
            user: admin,
            kind: NotificationKind::PayoutRequested,
            params: params.clone(),
            link: PAYOUTS_PATH.to_owned(),
        };
        notices::send(services, &format!("{}:finance:{admin}", event.id), notice).await?;
    }
    Ok(())
}
