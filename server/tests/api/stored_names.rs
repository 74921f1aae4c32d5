//! Every enum stored as text names exactly what the database's check constraint
//! allows: a variant added, renamed or removed on one side only fails here, not in
//! production on the first row that uses it.

use domain::{
    commerce::payments::WebhookOutcome,
    ledger,
    users::{mail_reports::Suppression, tokens::TokenPurpose},
};
use sqlx::PgPool;
use types::{
    TextEnum,
    analytics::{
        EventKind, PageKind,
        alerts::{Comparison, Metric},
        table::Section,
    },
    announcements::AnnouncementStatus,
    api::Scope,
    catalog::{CertificationLevel, CreatorKind, CreatorStatus, MediaKind, ProductStatus},
    certification::CertificationApplicationStatus,
    checkout::CheckoutState,
    files::{FileAccess, FileKind, ThumbnailSize},
    money::PayoutStatus,
    notifications::DeliveryStatus as NoticeDeliveryStatus,
    orders::SubOrderStatus,
    portfolio::PortfolioStatus,
    products::RevisionStatus,
    profile::NotificationChannel,
    ratings::RatingStatus,
    review::{Decision, ReviewKind, ReviewStatus},
    webhooks::{DeliveryStatus, WebhookEvent},
};

use crate::helpers::services;

fn names<T: TextEnum>() -> Vec<String> {
    let mut names: Vec<String> = T::ALL.iter().map(|v| v.as_str().to_owned()).collect();
    names.sort();
    names
}

/// The values a `column in (…)` check on `table` allows, sorted.
async fn allowed(pool: &PgPool, table: &str, column: &str) -> Vec<String> {
    let definitions: Vec<String> = sqlx::query_scalar(
        "select pg_get_constraintdef(oid) from pg_constraint where conrelid = $1::regclass and contype = 'c'",
    )
    .bind(table)
    .fetch_all(pool)
    .await
    .expect("constraints");
    let definition = definitions
        .iter()
        .find(|d| {
            d.contains(&format!("({column} = ANY"))
                || d.contains(&format!("(({column})::text = ANY"))
                || d.contains(&format!("({column} <@ ARRAY"))
        })
        .unwrap_or_else(|| panic!("no check on {table}.{column} in {definitions:?}"));
    let mut values: Vec<String> = definition.split('\'').skip(1).step_by(2).map(str::to_owned).collect();
    values.sort();
    values
}

#[tokio::test]
async fn every_stored_enum_names_what_its_check_constraint_allows() {
    let services = services().await;
    let pool = &services.pool;
    let cases: Vec<(&str, &str, Vec<String>)> = vec![
        ("notification_preferences", "channel", names::<NotificationChannel>()),
        ("notice_deliveries", "channel", names::<NotificationChannel>()),
        ("notice_templates", "channel", names::<NotificationChannel>()),
        ("notice_deliveries", "status", names::<NoticeDeliveryStatus>()),
        ("mail_suppressions", "reason", names::<Suppression>()),
        ("announcements", "status", names::<AnnouncementStatus>()),
        ("announcements", "audience", names::<types::Role>()),
        ("user_tokens", "purpose", names::<TokenPurpose>()),
        ("creators", "kind", names::<CreatorKind>()),
        ("creators", "status", names::<CreatorStatus>()),
        ("products", "status", names::<ProductStatus>()),
        ("products", "certified_level", names::<CertificationLevel>()),
        ("product_media", "kind", names::<MediaKind>()),
        ("certifications", "level", names::<CertificationLevel>()),
        ("certification_applications", "status", names::<CertificationApplicationStatus>()),
        ("files", "kind", names::<FileKind>()),
        ("files", "access", names::<FileAccess>()),
        ("file_uploads", "access", names::<FileAccess>()),
        ("file_thumbnails", "size", names::<ThumbnailSize>()),
        ("review_items", "kind", names::<ReviewKind>()),
        ("review_items", "status", names::<ReviewStatus>()),
        ("review_decisions", "decision", names::<Decision>()),
        ("product_revisions", "status", names::<RevisionStatus>()),
        ("portfolio_items", "status", names::<PortfolioStatus>()),
        ("checkouts", "state", names::<CheckoutState>()),
        ("sub_orders", "status", names::<SubOrderStatus>()),
        ("payouts", "status", names::<PayoutStatus>()),
        ("ratings", "status", names::<RatingStatus>()),
        ("ledger_transactions", "kind", names::<ledger::Kind>()),
        ("analytics_events", "kind", names::<EventKind>()),
        ("analytics_events", "page_kind", names::<PageKind>()),
        ("analytics_saved_reports", "section", names::<Section>()),
        ("analytics_alert_rules", "metric", names::<Metric>()),
        ("analytics_alert_rules", "comparison", names::<Comparison>()),
        ("api_tokens", "scopes", names::<Scope>()),
        ("webhook_endpoints", "events", names::<WebhookEvent>()),
        ("webhook_deliveries", "status", names::<DeliveryStatus>()),
    ];
    for (table, column, names) in cases {
        assert_eq!(allowed(pool, table, column).await, names, "{table}.{column}");
    }
    // Outcomes are answered, not stored: each still reads back as itself.
    for &outcome in WebhookOutcome::ALL {
        assert_eq!(WebhookOutcome::parse(outcome.as_str()), Some(outcome));
    }
}
