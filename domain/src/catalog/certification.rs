//! Certification: a creator applies for a published product with supporting
//! documents; reviewers record test results on the application and grant a level
//! (with the certifying body, the date and the expiry) or refuse. A grant is a row
//! in `certifications` whose tests are the recorded results; validity is decided at
//! read time, so an expired certificate stops counting without anyone acting.
//!
//! WIP (session 5): written, not yet compiled or tested. Next: server functions
//! (`creator/certification/apply`, `review/certification/result`,
//! `review/certification/grant`), the reviewer's form on the item page, the creator's
//! section in the editor, `product.certified`, tests and the end-to-end journey.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::{
    ErrorCode, FieldError, SessionUser, UserId,
    catalog::{CertificationLevel, ProductStatus},
    ids::{FileId, ProductId, ReviewItemId},
    review::ReviewKind,
};
use uuid::Uuid;

use crate::{
    Error, RequestMeta, Result, Services,
    creators::application::submission_event,
    error::OnConstraint,
    events::{self, EventMetadata, EventType, NewEvent},
    review::queue,
};

/// Applies for `product` (the caller's, published) to be certified at `level`.
pub async fn apply(
    services: &Services,
    user: UserId,
    product: ProductId,
    level: &str,
    message: &str,
    documents: &[String],
    meta: &RequestMeta,
) -> Result<Uuid> {
    let mut errors = Vec::new();
    let level = CertificationLevel::parse(level.trim());
    if level.is_none() {
        errors.push(FieldError::new("level", ErrorCode::Required));
    }
    let message = message.trim();
    if message.chars().count() > 4000 {
        errors.push(FieldError::new("message", ErrorCode::TooLong));
    }
    let mut files = Vec::new();
    for raw in documents.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        match raw.parse::<FileId>() {
            Ok(id) if !files.contains(&id) => files.push(id),
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new("documents", ErrorCode::NotFound)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let level = level.unwrap_or(CertificationLevel::Basic);
    let mut tx = services.pool.begin().await?;
    let row = sqlx::query!(
        "select p.status, p.creator_id, p.name_en from products p join creators c on c.id = p.creator_id
         where p.id = $1 and c.user_id = $2 for update of p",
        product.0,
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if ProductStatus::parse(&row.status) != Some(ProductStatus::Published) {
        return Err(Error::Conflict(ErrorCode::Conflict));
    }
    let ids: Vec<Uuid> = files.iter().map(|f| f.0).collect();
    let owned = sqlx::query_scalar!(
        r#"select count(*) as "n!" from files where owner_id = $1 and id = any($2)"#,
        user.0,
        &ids
    )
    .fetch_one(&mut *tx)
    .await?;
    if owned as usize != ids.len() {
        return Err(Error::field("documents", ErrorCode::NotFound));
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into certification_applications (id, product_id, creator_id, requested_level, message)
         values ($1, $2, $3, $4, $5)",
        id,
        product.0,
        row.creator_id,
        level.as_str(),
        message
    )
    .execute(&mut *tx)
    .await
    .on_constraint("certification_applications_open_idx", || Error::Conflict(ErrorCode::AlreadyInReview))?;
    for (position, file) in ids.iter().enumerate() {
        sqlx::query!(
            "insert into certification_application_documents (application_id, file_id, position) values ($1, $2, $3)",
            id,
            file,
            position as i32
        )
        .execute(&mut *tx)
        .await?;
    }
    let creator = types::ids::CreatorId(row.creator_id);
    let snapshot = vec![
        ("product".to_owned(), row.name_en.clone()),
        ("level".to_owned(), level.as_str().to_owned()),
        ("message".to_owned(), message.to_owned()),
    ];
    let item = queue::open(&mut tx, ReviewKind::CertificationApplication, id, creator, &row.name_en, &snapshot).await?;
    let event = submission_event(EventType::CreatorSubmissionCreated, creator, item, ReviewKind::CertificationApplication);
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A test result as a reviewer typed it.
pub struct ResultInput {
    pub test_name: String,
    pub metric: String,
    pub value: String,
    pub unit: String,
    pub passed: bool,
    pub tested_at: DateTime<Utc>,
}

/// Records one result on an open application.
pub async fn record_result(services: &Services, reviewer: &SessionUser, application: Uuid, input: &ResultInput) -> Result<()> {
    let mut errors = Vec::new();
    for (field, value, max) in [("test_name", &input.test_name, 120), ("metric", &input.metric, 120), ("unit", &input.unit, 20)] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, ErrorCode::Required));
        } else if value.chars().count() > max {
            errors.push(FieldError::new(field, ErrorCode::TooLong));
        }
    }
    let value = input.value.trim();
    let numeric = !value.is_empty() && value.parse::<f64>().is_ok_and(f64::is_finite);
    if !numeric {
        errors.push(FieldError::new("value", ErrorCode::NotANumber));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let done = sqlx::query!(
        "insert into certification_results (application_id, test_name, metric, value, unit, passed, tested_at, recorded_by)
         select id, $2, $3, $4::text::numeric, $5, $6, $7, $8 from certification_applications where id = $1 and status = 'open'",
        application,
        input.test_name.trim(),
        input.metric.trim(),
        value,
        input.unit.trim(),
        input.passed,
        input.tested_at,
        reviewer.id.0
    )
    .execute(&services.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict(ErrorCode::AlreadyDecided));
    }
    Ok(())
}

/// What a grant says.
pub struct Grant {
    pub level: CertificationLevel,
    pub body: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Grants the certificate in the decision's transaction: the certificate row, its
/// tests (the recorded results), `product.certified`.
pub async fn grant(conn: &mut PgConnection, reviewer: &SessionUser, application: Uuid, grant: &Grant, metadata: &EventMetadata) -> Result<()> {
    if grant.body.trim().is_empty() {
        return Err(Error::field("body", ErrorCode::Required));
    }
    if grant.expires_at <= grant.granted_at {
        return Err(Error::field("expires_at", ErrorCode::RangeInverted));
    }
    let product = sqlx::query_scalar!(
        "select product_id from certification_applications where id = $1 and status = 'open' for update",
        application
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::Conflict(ErrorCode::AlreadyDecided))?;
    let certification = Uuid::new_v4();
    sqlx::query!(
        "insert into certifications (id, product_id, level, body, granted_at, expires_at, granted_by)
         values ($1, $2, $3, $4, $5, $6, $7)",
        certification,
        product,
        grant.level.as_str(),
        grant.body.trim(),
        grant.granted_at,
        grant.expires_at,
        reviewer.id.0
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into certification_tests (id, certification_id, position, test_name, metric, value, unit, passed, tested_at)
         select gen_random_uuid(), $1, (row_number() over (order by id))::int, test_name, metric, value, unit, passed, tested_at
         from certification_results where application_id = $2",
        certification,
        application
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update certification_applications set status = 'granted', certification_id = $2, decided_at = now() where id = $1",
        application,
        certification
    )
    .execute(&mut *conn)
    .await?;
    let event = NewEvent {
        event_type: EventType::ProductCertified,
        aggregate_type: "product",
        aggregate_id: product.to_string(),
        aggregate_version: 1,
        data: json!({ "level": grant.level.as_str(), "expires_at": grant.expires_at, "review_item": Option::<ReviewItemId>::None }),
    };
    events::publish(conn, event, metadata).await?;
    Ok(())
}

/// Refuses an open application (the review decision carries the reason).
pub async fn refuse(conn: &mut PgConnection, application: Uuid) -> Result<()> {
    sqlx::query!(
        "update certification_applications set status = 'refused', decided_at = now() where id = $1 and status = 'open'",
        application
    )
    .execute(conn)
    .await?;
    Ok(())
}
