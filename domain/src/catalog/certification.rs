//! Certification: a creator applies for a published product with supporting
//! documents; reviewers record test results on the application and grant a level
//! (with the certifying body, the date and the expiry) or refuse. A grant is a row
//! in `certifications` whose tests are the recorded results; validity is decided at
//! read time, so an expired certificate stops counting without anyone acting.
//! Owns `certification_applications`, `certification_application_documents` and
//! `certification_results`; the decision itself goes through [`crate::review`].

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode, FieldError, SessionUser, UserId,
    catalog::{CertificationLevel, ProductStatus, TestResult},
    certification::{
        CertificationApplication, CertificationApplicationStatus, CertificationReview, GrantDefaults, GrantInput,
        ProductCertification, RecordedResult,
    },
    ids::{CertificationApplicationId, CreatorId, FileId, ProductId, ReviewItemId},
    review::{Decision, ReviewKind},
};

use uuid::Uuid;

use super::listing::product_event;
use crate::{
    Error, RequestMeta, Result, Services,
    creators::application::DOCUMENT_KINDS,
    error::OnConstraint,
    events::{self, EventMetadata, EventType},
    files,
    review::queue,
    review::subjects::{Decided, Evidence, Subject},
};

/// Supporting documents per application.
pub const MAX_DOCUMENTS: usize = 10;
/// How long a certificate usually lasts; the grant form starts from it.
pub const USUAL_VALIDITY_MONTHS: u32 = 24;
const MAX_MESSAGE_CHARS: usize = 4000;

/// The application form as submitted.
#[derive(Debug, Clone, Default)]
pub struct ApplyInput {
    pub level: String,
    pub message: String,
    pub documents: Vec<String>,
}

/// Applies for `product` (the caller's own, published) to be certified. The
/// application goes to the review queue.
#[tracing::instrument(skip_all, fields(user = %user, product = %product))]
pub async fn apply(
    services: &Services,
    user: UserId,
    product: ProductId,
    input: &ApplyInput,
    meta: &RequestMeta,
) -> Result<CertificationApplicationId> {
    let mut errors = Vec::new();
    let level = CertificationLevel::parse(input.level.trim());
    if level.is_none() {
        errors.push(FieldError::new("level", ErrorCode::Required));
    }
    let message = input.message.trim();
    if message.chars().count() > MAX_MESSAGE_CHARS {
        errors.push(FieldError::new("message", ErrorCode::TooLong));
    }
    let documents = files::attach::parse_ids(&input.documents, "documents", MAX_DOCUMENTS, &mut errors);
    if documents.is_empty() && !errors.iter().any(|e| e.field == "documents") {
        errors.push(FieldError::new("documents", ErrorCode::Required));
    }
    let mut tx = services.pool.begin().await?;
    let product_row = sqlx::query!(
        "select p.status, p.creator_id, p.name_en from products p join creators c on c.id = p.creator_id
         where p.id = $1 and c.user_id = $2 for update of p",
        product.0,
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    errors.extend(files::attach::check_owned(&mut tx, user, &documents, &DOCUMENT_KINDS, "documents").await?);
    let Some(level) = level.filter(|_| errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    if ProductStatus::parse(&product_row.status) != Some(ProductStatus::Published) {
        return Err(Error::Conflict(ErrorCode::NotPublished));
    }

    let id = CertificationApplicationId::new();
    let creator = CreatorId(product_row.creator_id);
    sqlx::query!(
        "insert into certification_applications (id, product_id, creator_id, requested_level, message)
         values ($1, $2, $3, $4, $5)",
        id.0,
        product.0,
        creator.0,
        level.as_str(),
        message
    )
    .execute(&mut *tx)
    .await
    .on_constraint("certification_applications_open_idx", || Error::Conflict(ErrorCode::AlreadyInReview))?;
    let ids: Vec<uuid::Uuid> = documents.iter().map(|f| f.0).collect();
    sqlx::query!(
        "insert into certification_application_documents (application_id, file_id, position)
         select $1, file_id, position::int - 1 from unnest($2::uuid[]) with ordinality as d(file_id, position)",
        id.0,
        &ids
    )
    .execute(&mut *tx)
    .await?;
    let files = files::records_in(&mut tx, &documents).await?;
    let snapshot = vec![
        ("level".to_owned(), level.as_str().to_owned()),
        ("message".to_owned(), message.to_owned()),
        ("documents".to_owned(), files.iter().map(|f| f.info.name.as_str()).collect::<Vec<_>>().join("\n")),
    ];
    let item =
        queue::open(&mut tx, ReviewKind::CertificationApplication, id.0, creator, &product_row.name_en, &snapshot)
            .await?;
    let event = queue::submission_event(
        EventType::CreatorSubmissionCreated,
        creator,
        item,
        ReviewKind::CertificationApplication,
    );
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A test result as a reviewer typed it.
#[derive(Debug, Clone, Default)]
pub struct ResultInput {
    pub test_name: String,
    pub metric: String,
    pub value: String,
    pub unit: String,
    pub passed: bool,
    /// `YYYY-MM-DD`.
    pub tested_on: String,
}

/// A result that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResult {
    pub test_name: String,
    pub metric: String,
    /// A plain decimal, as typed.
    pub value: String,
    pub unit: String,
    pub passed: bool,
    pub tested_on: NaiveDate,
}

/// Checks a result; all problems at once, each on its field.
pub fn validate_result(input: &ResultInput, today: NaiveDate) -> Result<ValidResult, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |field: &'static str, raw: &str, max: usize| {
        let value = raw.trim();
        if value.is_empty() {
            errors.push(FieldError::new(field, ErrorCode::Required));
        } else if value.chars().count() > max || value.chars().any(char::is_control) {
            errors.push(FieldError::new(field, ErrorCode::TooLong));
        }
        value.to_owned()
    };
    let test_name = text("test_name", &input.test_name, 120);
    let metric = text("metric", &input.metric, 120);
    let unit = text("unit", &input.unit, 20);
    let value = input.value.trim().to_owned();
    if !is_decimal(&value) {
        errors.push(FieldError::new("value", ErrorCode::NotANumber));
    }
    let tested_on = past_date("tested_on", &input.tested_on, today, &mut errors);
    match tested_on {
        Some(tested_on) if errors.is_empty() => {
            Ok(ValidResult { test_name, metric, value, unit, passed: input.passed, tested_on })
        }
        _ => Err(errors),
    }
}

/// A plain decimal such as `27.5` or `-3`: what PostgreSQL's `numeric` takes without
/// surprises (no exponents, no `NaN`, at most 20 digits).
fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.len() + fraction.len() <= 20
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && fraction.is_empty())
}

/// A `YYYY-MM-DD` date that is not after `today`.
fn past_date(field: &str, raw: &str, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(date) if date > today => {
            errors.push(FieldError::new(field, ErrorCode::DateInFuture));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(FieldError::new(field, ErrorCode::DateInvalid));
            None
        }
    }
}

/// Records one result on the open application behind review item `item`. Whoever
/// may decide the item may record (its claimer, or anyone while it is unclaimed).
#[tracing::instrument(skip_all, fields(reviewer = %reviewer.id, item = %item))]
pub async fn record_result(
    services: &Services,
    reviewer: &SessionUser,
    item: ReviewItemId,
    input: &ResultInput,
) -> Result<()> {
    let valid = validate_result(input, Utc::now().date_naive()).map_err(Error::Validation)?;
    let mut tx = services.pool.begin().await?;
    let application = lock_application(&mut tx, &services.pool, reviewer, item).await?;
    sqlx::query!(
        "insert into certification_results (application_id, test_name, metric, value, unit, passed, tested_at, recorded_by)
         values ($1, $2, $3, $4::text::numeric, $5, $6, $7::text::date::timestamp at time zone 'UTC', $8)",
        application.0,
        valid.test_name,
        valid.metric,
        valid.value,
        valid.unit,
        valid.passed,
        valid.tested_on.to_string(),
        reviewer.id.0
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes back a result recorded on the still open application behind `item`.
#[tracing::instrument(skip_all, fields(reviewer = %reviewer.id, item = %item))]
pub async fn remove_result(services: &Services, reviewer: &SessionUser, item: ReviewItemId, result: i64) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let application = lock_application(&mut tx, &services.pool, reviewer, item).await?;
    let done =
        sqlx::query!("delete from certification_results where id = $1 and application_id = $2", result, application.0)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The application behind an open certification item that `reviewer` may work on.
async fn lock_application(
    conn: &mut PgConnection,
    pool: &sqlx::PgPool,
    reviewer: &SessionUser,
    item: ReviewItemId,
) -> Result<CertificationApplicationId> {
    queue::lock_for_decision(conn, pool, reviewer, item).await?;
    sqlx::query_scalar!(
        "select subject_id from review_items where id = $1 and kind = 'certification_application'",
        item.0
    )
    .fetch_optional(conn)
    .await?
    .map(CertificationApplicationId)
    .ok_or(Error::NotFound)
}

/// What a grant says.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub level: CertificationLevel,
    pub body: String,
    pub granted_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Checks a grant: a level, the certifying body, a grant date not in the future and
/// an expiry after it and after today (a certificate is not granted already expired).
pub fn validate_grant(input: &GrantInput, today: NaiveDate) -> Result<Grant, Vec<FieldError>> {
    let mut errors = Vec::new();
    let level = CertificationLevel::parse(input.level.trim());
    if level.is_none() {
        errors.push(FieldError::new("level", ErrorCode::Required));
    }
    let body = input.body.trim().to_owned();
    if body.is_empty() {
        errors.push(FieldError::new("body", ErrorCode::Required));
    } else if body.chars().count() > 120 || body.chars().any(char::is_control) {
        errors.push(FieldError::new("body", ErrorCode::TooLong));
    }
    let granted_on = past_date("granted_on", &input.granted_on, today, &mut errors);
    let expires_on = NaiveDate::parse_from_str(input.expires_on.trim(), "%Y-%m-%d").ok();
    match (expires_on, granted_on) {
        (None, _) => errors.push(FieldError::new("expires_on", ErrorCode::DateInvalid)),
        (Some(expires), Some(granted)) if expires <= granted => {
            errors.push(FieldError::new("expires_on", ErrorCode::RangeInverted));
        }
        (Some(expires), _) if expires <= today => errors.push(FieldError::new("expires_on", ErrorCode::DateInPast)),
        _ => {}
    }
    match (level, granted_on, expires_on) {
        (Some(level), Some(granted_on), Some(expires_on)) if errors.is_empty() => {
            Ok(Grant { level, body, granted_on, expires_on })
        }
        _ => Err(errors),
    }
}

/// Where the grant form starts.
pub fn grant_defaults(today: NaiveDate) -> GrantDefaults {
    GrantDefaults { today, expires: today.checked_add_months(Months::new(USUAL_VALIDITY_MONTHS)).unwrap_or(today) }
}

/// Grants the certificate in the decision's transaction: the certificate row (which
/// the product's current certificate follows by trigger), its tests (the recorded
/// results, in the order recorded) and `product.certified`.
pub async fn grant(
    conn: &mut PgConnection,
    reviewer: &SessionUser,
    application: CertificationApplicationId,
    grant: &Grant,
    metadata: &EventMetadata,
) -> Result<()> {
    let product = sqlx::query_scalar!(
        "select product_id from certification_applications where id = $1 and status = 'open' for update",
        application.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::Conflict(ErrorCode::AlreadyDecided))?;
    let certification = uuid::Uuid::new_v4();
    sqlx::query!(
        "insert into certifications (id, product_id, level, body, granted_at, expires_at, granted_by)
         values ($1, $2, $3, $4, $5::text::date::timestamp at time zone 'UTC', $6::text::date::timestamp at time zone 'UTC', $7)",
        certification,
        product,
        grant.level.as_str(),
        grant.body,
        grant.granted_on.to_string(),
        grant.expires_on.to_string(),
        reviewer.id.0
    )
    .execute(&mut *conn)
    .await?;
    let tests = sqlx::query!(
        "insert into certification_tests (id, certification_id, position, test_name, metric, value, unit, passed, tested_at)
         select gen_random_uuid(), $1, (row_number() over (order by id))::int, test_name, metric, value, unit, passed, tested_at
         from certification_results where application_id = $2",
        certification,
        application.0
    )
    .execute(&mut *conn)
    .await?;
    if tests.rows_affected() == 0 {
        return Err(Error::Validation(vec![FieldError::new("results", ErrorCode::ResultsRequired)]));
    }
    sqlx::query!(
        "update certification_applications set status = 'granted', certification_id = $2, decided_at = now() where id = $1",
        application.0,
        certification
    )
    .execute(&mut *conn)
    .await?;
    let version = sqlx::query_scalar!(
        "update products set version = version + 1, updated_at = now() where id = $1 returning version",
        product
    )
    .fetch_one(&mut *conn)
    .await?;
    let data = json!({
        "level": grant.level.as_str(),
        "body": grant.body,
        "expires_on": grant.expires_on,
        "application_id": application,
    });
    events::publish(conn, product_event(EventType::ProductCertified, ProductId(product), version, data), metadata)
        .await?;
    Ok(())
}

/// Refuses an open application (the review decision carries the reason); the creator
/// may apply again.
pub async fn refuse(conn: &mut PgConnection, application: CertificationApplicationId) -> Result<()> {
    let done = sqlx::query!(
        "update certification_applications set status = 'refused', decided_at = now() where id = $1 and status = 'open'",
        application.0
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict(ErrorCode::AlreadyDecided));
    }
    Ok(())
}

/// A product's certification as its creator follows it. Someone else's product is
/// not found.
#[tracing::instrument(skip_all, fields(user = %user, product = %product))]
pub async fn for_product(services: &Services, user: UserId, product: ProductId) -> Result<ProductCertification> {
    let mut conn = services.pool.acquire().await?;
    let row = sqlx::query!(
        "select p.name_en, p.slug, p.status from products p join creators c on c.id = p.creator_id
         where p.id = $1 and c.user_id = $2",
        product.0,
        user.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let ids = sqlx::query_scalar!(
        "select id from certification_applications where product_id = $1 order by created_at desc",
        product.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut applications = Vec::with_capacity(ids.len());
    for id in ids {
        applications.push(load(&mut conn, CertificationApplicationId(id)).await?);
    }
    Ok(ProductCertification {
        product_name: row.name_en,
        product_slug: row.slug,
        published: ProductStatus::parse(&row.status) == Some(ProductStatus::Published),
        current: super::certification_of(&services.pool, product.0).await?,
        applications,
    })
}

/// What a reviewer sees of the application behind a review item.
pub async fn review(conn: &mut PgConnection, application: CertificationApplicationId) -> Result<CertificationReview> {
    Ok(CertificationReview {
        application: load(conn, application).await?,
        defaults: grant_defaults(Utc::now().date_naive()),
    })
}

/// One application with its documents, the results recorded so far and, when refused,
/// the reviewer's reason.
async fn load(conn: &mut PgConnection, id: CertificationApplicationId) -> Result<CertificationApplication> {
    let row = sqlx::query!(
        r#"select a.requested_level, a.message, a.status, a.created_at as "created_at: DateTime<Utc>",
                  a.decided_at as "decided_at: DateTime<Utc>", p.slug, p.name_en,
                  i.id as "review_item?", d.feedback as "feedback?"
           from certification_applications a
           join products p on p.id = a.product_id
           left join lateral (
               select id from review_items where subject_id = a.id and kind = 'certification_application'
               order by submitted_at desc limit 1
           ) i on true
           left join lateral (
               select feedback from review_decisions where item_id = i.id order by created_at desc limit 1
           ) d on a.status = 'refused'
           where a.id = $1"#,
        id.0
    )
    .fetch_one(&mut *conn)
    .await?;
    let document_ids = sqlx::query_scalar!(
        "select file_id from certification_application_documents where application_id = $1 order by position",
        id.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let document_ids: Vec<FileId> = document_ids.into_iter().map(FileId).collect();
    let documents = files::records_in(&mut *conn, &document_ids).await?.into_iter().map(|r| r.info).collect();
    let results = sqlx::query!(
        r#"select id, test_name, metric, value::text as "value!", unit, passed, tested_at as "tested_at: DateTime<Utc>"
           from certification_results where application_id = $1 order by id"#,
        id.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| RecordedResult {
        id: r.id,
        result: TestResult {
            test_name: r.test_name,
            metric: r.metric,
            value: r.value,
            unit: r.unit,
            passed: r.passed,
            tested_at: r.tested_at,
        },
    })
    .collect();
    Ok(CertificationApplication {
        id,
        review_item: row.review_item.map(ReviewItemId),
        product_slug: row.slug,
        product_name: row.name_en,
        requested_level: CertificationLevel::parse(&row.requested_level).unwrap_or(CertificationLevel::Basic),
        message: row.message,
        status: CertificationApplicationStatus::parse(&row.status).unwrap_or(CertificationApplicationStatus::Open),
        documents,
        results,
        feedback: row.feedback.filter(|f| !f.is_empty()),
        created_at: row.created_at,
        decided_at: row.decided_at,
    })
}

/// A certification application, as the review queue decides it: an approval grants
/// the certificate the reviewer described.
pub struct Review;

#[async_trait::async_trait]
impl Subject for Review {
    fn kind(&self) -> ReviewKind {
        ReviewKind::CertificationApplication
    }

    async fn apply(&self, tx: &mut PgConnection, d: &Decided<'_>) -> Result<()> {
        let application = CertificationApplicationId(d.subject);
        match d.decision {
            Decision::Approve => {
                let valid = validate_grant(d.grant, Utc::now().date_naive()).map_err(Error::Validation)?;
                grant(tx, d.reviewer, application, &valid, d.metadata).await
            }
            Decision::Reject | Decision::RequestChanges => refuse(tx, application).await,
        }
    }

    async fn path(&self, conn: &mut PgConnection, subject: Uuid) -> Result<String> {
        let product = sqlx::query_scalar!("select product_id from certification_applications where id = $1", subject)
            .fetch_optional(conn)
            .await?;
        Ok(product.map_or_else(|| "/creator".to_owned(), |p| format!("/creator/products/{p}/certification")))
    }

    async fn evidence(&self, conn: &mut PgConnection, subject: Uuid, _creator: CreatorId) -> Result<Evidence> {
        let certification = review(conn, CertificationApplicationId(subject)).await?;
        Ok(Evidence { certification: Some(certification), ..Evidence::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_result_needs_a_name_a_metric_a_plain_number_a_unit_and_a_past_date() {
        let today = day("2026-11-27");
        let good = ResultInput {
            test_name: "Hover endurance".into(),
            metric: "flight time".into(),
            value: " 27.5 ".into(),
            unit: "min".into(),
            passed: true,
            tested_on: "2026-11-20".into(),
        };
        let valid = validate_result(&good, today).expect("valid");
        assert_eq!((valid.value.as_str(), valid.tested_on), ("27.5", day("2026-11-20")));
        for (value, ok) in
            [("-3", true), ("0.25", true), ("1e9", false), ("NaN", false), ("1.", false), (".5", false), ("", false)]
        {
            assert_eq!(
                validate_result(&ResultInput { value: value.into(), ..good.clone() }, today).is_ok(),
                ok,
                "{value}"
            );
        }
        let bad =
            ResultInput { test_name: " ".into(), unit: "x".repeat(21), tested_on: "2026-11-28".into(), ..good.clone() };
        assert_eq!(
            codes(&validate_result(&bad, today).expect_err("refused")),
            vec![
                ("test_name", ErrorCode::Required),
                ("unit", ErrorCode::TooLong),
                ("tested_on", ErrorCode::DateInFuture)
            ]
        );
        let garbled = ResultInput { tested_on: "27/11/2026".into(), ..good };
        assert_eq!(
            codes(&validate_result(&garbled, today).expect_err("refused")),
            vec![("tested_on", ErrorCode::DateInvalid)]
        );
    }

    #[test]
    fn a_grant_expires_after_it_is_granted_and_is_not_dated_ahead() {
        let today = day("2026-11-27");
        let defaults = grant_defaults(today);
        assert_eq!(defaults.expires, day("2028-11-27"));
        let input = GrantInput {
            level: "standard".into(),
            body: "OpenAero Test Lab".into(),
            granted_on: "2026-11-27".into(),
            expires_on: "2028-11-27".into(),
        };
        assert_eq!(validate_grant(&input, today).expect("valid").level, CertificationLevel::Standard);
        let inverted = GrantInput { expires_on: "2026-11-27".into(), ..input.clone() };
        assert_eq!(
            codes(&validate_grant(&inverted, today).expect_err("refused")),
            vec![("expires_on", ErrorCode::RangeInverted)]
        );
        let expired = GrantInput { granted_on: "2024-01-01".into(), expires_on: "2026-11-27".into(), ..input.clone() };
        assert_eq!(
            codes(&validate_grant(&expired, today).expect_err("refused")),
            vec![("expires_on", ErrorCode::DateInPast)]
        );
        let ahead = GrantInput { granted_on: "2026-12-01".into(), level: "gold".into(), body: "".into(), ..input };
        assert_eq!(
            codes(&validate_grant(&ahead, today).expect_err("refused")),
            vec![
                ("level", ErrorCode::Required),
                ("body", ErrorCode::Required),
                ("granted_on", ErrorCode::DateInFuture)
            ]
        );
    }
}
